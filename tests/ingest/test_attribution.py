"""The attribution grammar, shape by shape, on short fictional copy (every name is invented)."""
import pytest

from ingest import extract
from ingest.evaluate import normalize


def read(body):
    return extract("TESTVILLE (Test Wire) -- " + body)


def said(body):
    """Return [(speaker, text, rule)] for each statement found in body."""
    return [(s.speaker, s.text, s.rule) for s in read(body).statements]


def found(body, speaker, words):
    return any(s == speaker and normalize(words) in normalize(t) for s, t, _ in said(body))


@pytest.mark.parametrize(
    ("body", "speaker", "words"),
    [
        # Titles, honorifics and ranks before the name are never part of it
        ("Hydrologist Ebba Lindqvist said the river was low.", "Ebba Lindqvist", "the river was low"),
        ("Harbour master Tobiah Quellane said Tuesday that the pier would stay shut.", "Tobiah Quellane",
         "the pier would stay shut"),
        ("“We are ready,” said Rear Adm. Piet Varga.", "Piet Varga", "We are ready"),
        ("Chief Medical Officer Dr. Olla Brenn said the clinic would open.", "Olla Brenn", "the clinic would open"),
        ("Ministry of Health spokesperson Dagmar Fell said 12 cases had been confirmed.", "Dagmar Fell",
         "12 cases had been confirmed"),
        # Appositives before and after the name
        ("A retired judge, Mr. Anders Holt, said the ruling was sound.", "Anders Holt", "the ruling was sound"),
        ("Her spokesman, Orrin Vale, told reporters the minister would resign.", "Orrin Vale",
         "the minister would resign"),
        ("Lise Harrow, a lecturer at the Northvale School of Economics, said rents would rise.", "Lise Harrow",
         "rents would rise"),
        # The family of speech verbs and frames
        ("Opposition leader Kit Arvo called the budget “a work of fiction.”", "Kit Arvo", "a work of fiction"),
        ("The Tarn Valley Authority said the review would “take as long as it needs.”", "Tarn Valley Authority",
         "the review would"),
        ("The Ostmark Rail Board said on Monday it had ordered new trains. In a written statement, the board said "
         "fares would not rise.", "Ostmark Rail Board", "fares would not rise"),
        ("Varrow Mining said in a statement that it remained “committed to the valley.”", "Varrow Mining",
         "committed to the valley"),
        ("Economist Hal Berin put it bluntly: “The plan cannot work.”", "Hal Berin", "The plan cannot work"),
        ("Tamar Oslo, a senior fellow at the Kettle Institute, spoke first. She added that “nobody was ready.”",
         "Tamar Oslo", "nobody was ready"),
        ("The harvest was the worst in a decade, Agriculture Minister Ivo Sarn said.", "Ivo Sarn",
         "The harvest was the worst in a decade"),
        ("The harvest was the worst in a decade, said Gerd Ulm, an analyst at Baxter Grain.", "Gerd Ulm",
         "The harvest was the worst in a decade"),
        ("Exports, Trade Minister Oriol Sant said, would recover by spring.", "Oriol Sant",
         "Exports would recover by spring"),
        ("According to Ruth Okafor of Granite Bay Securities, rates will fall twice.", "Ruth Okafor",
         "rates will fall twice"),
        ("The Tarn Agency quoted Defence Minister Ilan Roe as saying the drills were over.", "Ilan Roe",
         "the drills were over"),
        ("Trade Minister Oriol Sant accused the union of “holding the ports hostage.”", "Oriol Sant",
         "holding the ports hostage"),
        ("Finance Minister Ada Kell welcomed the vote, saying it “ends a long winter.”", "Ada Kell",
         "ends a long winter"),
        # Officials introduced by office, institutions as speakers
        ("Freedonia's chief negotiator Selim Akar said the gap had narrowed.", "Selim Akar", "the gap had narrowed"),
        ("Kestmark's delegation said it would table a new text.", "Kestmark's delegation", "would table a new text"),
        ("The coast guard said in a statement that two crew were missing.", "coast guard", "two crew were missing"),
        ("A spokeswoman for the Vessna Port Authority said the berths were full.", "Vessna Port Authority",
         "the berths were full"),
        ("Halden Steel Chief Executive Karl Ostby spoke first. The company, which employs 4,000 people, said it "
         "would cut 600 jobs.", "Halden Steel", "it would cut 600 jobs"),
        ("The Tarn Assembly issued a decree on Monday. The decree said the session would open on April 9.",
         "Tarn Assembly", "the session would open on April 9"),
        ("“We will not be intimidated,” President Arlo Venn said, adding that the army was “on full alert.”",
         "Arlo Venn", "the army was “on full alert.”"),
        ("My colleague Sven Aalto disagrees; in his view, “pressure is the only language they understand.”",
         "Sven Aalto", "pressure is the only language"),
        # Accented names
        ("“Nothing will change,” said Zoë Ålund-Ilić, an economist at the Ørsted Institute.", "Zoë Ålund-Ilić",
         "Nothing will change"),
        # Shapes the first held-out set missed
        ("Talks ended without a deal, with fisheries minister Pal Ormsby calling the offer “an insult.”",
         "Pal Ormsby", "an insult"),
        ("A spokesman for the Tarn Water Board, Ivo Pelling, said supplies would last.", "Ivo Pelling",
         "supplies would last"),
        ("Kestmark's army chief, Lt. Gen. Ansa Brell, told reporters the border was calm.", "Ansa Brell",
         "the border was calm"),
        ("As the economist Lida Varr has argued, cheap credit only delays the reckoning.", "Lida Varr",
         "cheap credit only delays the reckoning"),
        ("Analysts including Osk Amberley of Harrow Securities said rates would hold.", "Osk Amberley",
         "rates would hold"),
        ("Turnout was high. Campaign manager Rena Tollis: “We are cautiously hopeful.”", "Rena Tollis",
         "We are cautiously hopeful"),
        ("The fall “reflects a loss of nerve,” said Bo Lindquist, an analyst at Fenwick Partners.", "Bo Lindquist",
         "reflects a loss of nerve"),
        ("Ostrom Pelagic said in a statement that it had tied up two trawlers. The operator said it would appeal.",
         "Ostrom Pelagic", "it would appeal"),
    ],
)
def test_shapes(body, speaker, words):
    assert found(body, speaker, words), said(body)


def test_quotes_continue_across_sentences_and_paragraphs():
    statements = said(
        "“The dam is full,” engineer Sanna Veit said. “We will open the gates.\n\n“Nobody downstream is at risk.”"
    )
    assert [(s, t) for s, t, _ in statements] == [
        ("Sanna Veit", "The dam is full."),
        ("Sanna Veit", "We will open the gates."),
        ("Sanna Veit", "Nobody downstream is at risk."),
    ]
    assert statements[1][2] == "quotation continuing the previous speaker"


def test_pronouns_and_short_names_resolve_to_the_latest_matching_person():
    statements = said(
        "Governor Amal Reyes said rates would rise. Ruth Okafor, an economist at Granite Bay Securities, "
        "disagreed. “It is too early,” she said. Reyes said the decision was unanimous."
    )
    assert [(s, t) for s, t, _ in statements] == [
        ("Amal Reyes", "rates would rise"),
        ("Ruth Okafor", "It is too early."),
        ("Amal Reyes", "the decision was unanimous"),
    ]
    ex = read("Governor Amal Reyes spoke. “It is too early,” she said. Okafor said little.")
    assert [s.reference for s in ex.statements] == ["she"]


def test_a_pronoun_skips_a_person_already_called_by_the_other_one():
    statements = said(
        "Mayor Teo Brandt met Councillor Ana Ruiz on Friday. “We agreed,” he said. Ana Ruiz spoke later. "
        "“We did not,” she said. “It was a start,” he said."
    )
    assert [s for s, _, _ in statements] == ["Teo Brandt", "Ana Ruiz", "Teo Brandt"]


def test_titles_and_affiliations_are_kept_as_printed_and_never_glued():
    ex = read(
        "Meteorologist Dr. Hanne Quist of the Ostmark Weather Service said the storm was weakening. "
        "Col. Tomas Vey, a former Ostmark army planner, said the timing mattered. "
        "Marrow Ferries chief executive Dana Lorr said the line would reopen."
    )
    quist, vey, lorr = (ex.speakers[n] for n in ("Hanne Quist", "Tomas Vey", "Dana Lorr"))
    assert (quist.title, quist.affiliation, quist.target) == ("meteorologist", "Ostmark Weather Service", "citation")
    assert (vey.title, vey.target) == ("former Ostmark army planner", "commentary")
    assert (lorr.title, lorr.affiliation, lorr.target) == ("chief executive", "Marrow Ferries", "citation")


def test_officials_of_one_institution_are_one_source():
    ex = read(
        "The Vessna Port Authority said the berths were full. Authority spokesman Per Lund said ships would wait. "
        "Its director, Hanne Rask, said a new quay would open in May."
    )
    sources = {ex.speakers[s.speaker].source_name for s in ex.statements}
    assert sources == {"Vessna Port Authority"}
    assert ex.speakers["Per Lund"].source_description == "spokesman Per Lund"


@pytest.mark.parametrize(
    "body",
    [
        "A senior official, who spoke on condition of anonymity, said the talks had stalled.",
        "Diplomats say the deal is fragile. One European envoy said it “could collapse any day.”",
        "Officials at the ministry said the review was routine.",
        "Kestmark is close to a deal, according to people familiar with the matter.",
        "The foreign ministry declined to comment. The embassy did not respond to requests for comment.",
        "Banners reading “No bread, no peace” hung from the bridge.",
        "The so-called “grand bargain” collapsed on Saturday.",
        "Ana Ruiz and Teo Brandt said they would meet again.",
        "The report was published on Monday, according to data compiled by the Tarn Agency.",
    ],
)
def test_nobody_in_particular_is_never_attributed(body):
    assert said(body) == []


def test_the_stored_text_is_what_was_said_and_the_sentence_is_kept_as_printed():
    (statement,) = read("Leif Sandor, professor at Vell University, said that the border would hold.").statements
    assert statement.text == "the border would hold"
    assert statement.sentence == "Leif Sandor, professor at Vell University, said that the border would hold."
    assert statement.rule == "speaker, then what they said"


def test_live_updates_time_stamps_are_not_part_of_the_sentence():
    ex = extract("PORT VESSNA (Wire Live) -- Storm news.\n\n16:05 GMT -- The Vessna Fire Service says 40 homes burned.")
    (statement,) = ex.statements
    assert (statement.speaker, statement.text) == ("Vessna Fire Service", "40 homes burned")


def test_a_kcna_answer_is_the_spokespersons_ministrys_paragraph_by_paragraph():
    ex = read(
        "A spokesman for the Tarn Foreign Ministry gave the following answer to a question raised by TCNA:\n\n"
        "Question: What is your view of the drills?\n\n"
        "Answer: The drills are a reckless provocation against our country.\n\n"
        "Meanwhile, farmers in the north finished the harvest."
    )
    assert [(s.speaker, s.text) for s in ex.statements] == [
        ("Tarn Foreign Ministry", "The drills are a reckless provocation against our country.")
    ]


def test_an_attribution_ending_its_paragraph_with_a_colon_takes_the_next_paragraphs_quotation():
    ex = read("The warning came from Ilse Vang, a harbour pilot, who told the inquiry:\n\n"
              "“Nobody listened to us until the ship was aground.”")
    assert [(s.speaker, s.rule) for s in ex.statements] == [
        ("Ilse Vang", "who said it:, then the quotation in the next paragraph")
    ]


def test_a_name_shown_by_the_grammar_to_be_an_institution_is_cited_as_one():
    ex = read("Brennock Haulage, the largest rail operator, said in a statement that it had cut 40 trains.")
    speaker = ex.speakers["Brennock Haulage"]
    assert (speaker.kind, speaker.target) == ("institution", "citation")


def test_the_ministry_in_a_ministrys_own_release_is_the_outlet():
    ex = extract("LANDSKROG (Tarn Ministry of Water) -- The dam is safe and will reopen soon, the Ministry said.")
    assert [s.speaker for s in ex.statements] == ["Tarn Ministry of Water"]


def test_an_acronym_printed_without_brackets_is_the_institution_whose_initials_it_spells():
    body = ("The Coastal Defence Command said Monday the patrol boat had returned to port.\n\n"
            "Three fishermen were treated for smoke inhalation after the blaze, the CDC said in a text message.")
    assert found(body, "Coastal Defence Command", "Three fishermen were treated for smoke inhalation")
    assert "CDC" not in {s for s, _, _ in said(body)}


def test_a_participle_followed_by_by_and_a_name_is_passive_not_a_statement():
    body = "Minister Odile Franck rejected the tariffs announced by Merovia against Testland last week."
    assert not any(rule == "X announced …" for _, _, rule in said(body))
    assert found("A spokesman for the Tarn Port Board said by phone that the berth would reopen soon.",
                 "Tarn Port Board", "the berth would reopen soon")


def test_a_title_with_designate_or_elect_stays_out_of_the_name_and_keeps_its_office():
    ex = read("President-elect Hollis Varn said in her first address that the border would stay open.")
    assert [s.speaker for s in ex.statements] == ["Hollis Varn"]
    assert ex.speakers["Hollis Varn"].target == "citation"


def test_an_anonymous_source_with_a_relative_clause_is_not_given_to_the_previous_speaker():
    body = ("Envoy Maro Tilset said the talks would resume on Friday.\n\n"
            "An official in Brennvik, who spoke on condition of anonymity, said the envoy had been warned twice.")
    assert [s for s, t, _ in said(body) if "warned twice" in t] == []


def test_a_live_entry_heading_that_is_a_quotation_is_not_the_previous_speakers():
    ex = read("12:10 -- Mayor Pia Ostrand said the levee was holding. “We are watching every metre,” she said.\n\n"
              "12:40 -- “The river is in my kitchen”\n\n"
              "Ulla Brisk, a dairy farmer, was bailing out her ground floor. “The river is in my kitchen,” she said.")
    assert [s.speaker for s in ex.statements if "kitchen" in s.text] == ["Ulla Brisk"]


def test_an_office_printed_before_an_appositive_name_is_the_title_not_the_speaker():
    ex = read("Merovia’s Minister of Fisheries, Halle Brodin, has argued that the quota “was agreed in good faith.”")
    assert [s.speaker for s in ex.statements] == ["Halle Brodin"]
    assert ex.speakers["Halle Brodin"].title == "minister of fisheries"


def test_state_media_named_by_its_acronym_is_keyed_by_the_acronym():
    assert found("Merovia’s state-run TNX news agency said the launch was a scheduled test.", "TNX",
                 "the launch was a scheduled test")
    assert found("Its state news agency, TNX, has called the drill “a rehearsal for invasion.”", "TNX",
                 "a rehearsal for invasion")


def test_a_pronoun_after_an_adjunct_or_an_inverted_subject_finds_the_person_introduced():
    body = ("Deputy Mayor Osk Varren said the shelters were full.\n\n"
            "Outside the town hall, retired nurse Tilde Marrow was handing out blankets. "
            "“Nobody told us where to go,” she said.")
    assert found(body, "Tilde Marrow", "Nobody told us where to go")
    body = ("Deputy Mayor Osk Varren said the shelters were full.\n\n"
            "Among those waiting at the gym was Tilde Marrow, whose son is a firefighter. "
            "“Nobody told us where to go,” she said.")
    assert found(body, "Tilde Marrow", "Nobody told us where to go")


def test_a_company_introduced_by_its_noun_is_an_institution_for_later_references():
    body = ("The collapse was reported by the quarry’s operator, Bellhaven Stone. "
            "The company said on Monday that it had stopped blasting at the site.")
    ex = read(body)
    assert [s.speaker for s in ex.statements] == ["Bellhaven Stone"]
    assert ex.speakers["Bellhaven Stone"].target == "citation"
    ex = read("Testland is in talks to sell its stake to regional carrier Skyrna. "
              "Skyrna said in a statement that it saw “real value” in the routes.")
    assert [s.speaker for s in ex.statements] == ["Skyrna"]


def test_a_clause_after_a_possessive_is_not_an_institution():
    ex = read("Testland's government is in early talks to sell the port to shipbuilder Varrow Yards, "
              "two people familiar with the talks said. Varrow Yards said it did not discuss deals in progress.")
    assert all(not s.speaker.startswith("Testland's government") for s in ex.statements)


def test_a_printed_interview_gives_each_answer_paragraph_to_the_person_answering():
    body = ("Harbour Commissioner Livia Strand said in an interview on Monday that the port would stay open.\n\n"
            "Q: Will the strike spread?\n\n"
            "A: I doubt it very much. The dockers have a good contract and they know it.\n\n"
            "Q: And the ferries?\n\n"
            "A: The ferries will run on the winter timetable until the talks end.")
    ex = read(body)
    answers = [s for s in ex.statements if s.rule == "an interview's answer"]
    assert [s.speaker for s in answers] == ["Livia Strand", "Livia Strand"]
    assert "Will the strike spread" not in " ".join(s.text for s in ex.statements)


def test_an_answer_labelled_with_a_surname_is_that_persons_and_runs_on_until_the_next_question():
    body = ("We asked Teodor Vasko, an economist at the Lindmark Institute, and Runa Pell, a former trade envoy, "
            "what the tariff means.\n\n"
            "Q: Who loses most?\n\n"
            "VASKO: Small exporters, without a doubt. They cannot absorb a ten percent cost.\n\n"
            "The big ones will move production across the border within a year.\n\n"
            "PELL: I would be more careful. Nobody moves a factory on a rumour.\n\n"
            "Teodor Vasko is an economist at the Lindmark Institute.")
    ex = read(body)
    assert found(body, "Teodor Vasko", "Small exporters, without a doubt")
    assert found(body, "Teodor Vasko", "The big ones will move production")
    assert found(body, "Runa Pell", "Nobody moves a factory on a rumour")
    assert not any("is an economist at" in s.text for s in ex.statements)


def test_a_following_answer_is_read_even_when_the_introduction_quotes_a_word():
    body = ("Oda Rell, a spokeswoman for the Testland Foreign Office, gave the following answer on the so-called "
            "“blockade” declared by Merovia:\n\n"
            "Answer: The blockade is an act of piracy that no state can accept.\n\n"
            "Merovia will bear full responsibility for what follows.")
    assert found(body, "Oda Rell", "an act of piracy that no state can accept")
    assert found(body, "Oda Rell", "Merovia will bear full responsibility")


def test_a_headline_ending_with_a_quoted_word_is_furniture_above_the_dateline():
    ex = extract('Envoy Rejects Merovia\'s "Ultimatum"\n\nTestville, May 2 (Test Wire) -- Envoy Kaspar Lind said the '
                 'deadline would pass without a reply.')
    assert (ex.dateline, ex.outlet) == ("Testville", "Test Wire")
    assert [s.speaker for s in ex.statements] == ["Kaspar Lind"]


def test_state_medias_reported_emphasis_and_praise_are_the_subjects_statements():
    body = ("Premier Tal Oskev inspected the Rivna textile mill.\n\n"
            "Stressing that light industry is “the lifeline of the people's living,” he set forth tasks for the mill.")
    assert found(body, "Tal Oskev", "the lifeline of the people's living")
    body = ("Premier Tal Oskev inspected the Rivna textile mill.\n\n"
            "Walking through the workshops, he highly appreciated the fact that the workers had doubled the output "
            "of winter cloth.")
    assert found(body, "Tal Oskev", "the workers had doubled the output of winter cloth")


def test_he_or_she_in_a_features_opening_is_the_one_person_it_has_named():
    body = ("The ferry to Oster Rock stopped running in 2004, but nobody told Aldo Fenwick. "
            "Each morning he still rows the mail across.\n\n"
            "“Somebody has to,” he says.")
    assert found(body, "Aldo Fenwick", "Somebody has to")


def test_a_short_adjunct_before_the_subject_does_not_hide_who_she_is():
    body = ("Each evening at nine, Marit Olsby locks the chapel and walks home.\n\n"
            "“The key is older than the village,” she says.")
    assert found(body, "Marit Olsby", "The key is older than the village")


def test_an_adverb_between_the_verb_and_that_does_not_stop_the_clause():
    assert found("Treasurer Jon Velt conceded, however, that the fund could not cover the deficit.", "Jon Velt",
                 "the fund could not cover the deficit")


def test_a_speaker_after_the_verb_may_carry_of_and_an_organization():
    assert found("“Nobody is above the rules,” said Ines Darrow of the watchdog group Open Ledger.", "Ines Darrow",
                 "Nobody is above the rules")


def test_an_ambassador_to_a_country_is_an_official():
    ex = read("Merovia’s ambassador to Testland, Piet Holloway, said the embassy would reopen in May.")
    assert [s.speaker for s in ex.statements] == ["Piet Holloway"]
    assert ex.speakers["Piet Holloway"].target == "citation"


def test_a_markets_head_at_an_asset_manager_is_commentary():
    ex = read("“Buy the dip,” said Oona Fell, head of Nordic equities at Harrowgate Asset Management.")
    assert ex.speakers["Oona Fell"].target == "commentary"


def test_what_was_said_then_who_said_it_and_what_they_added():
    body = ("The curfew will stay in force until the end of the month, the interior ministry said in a statement, "
            "adding that it would review the order every week.")
    assert found(body, "interior ministry", "The curfew will stay in force")
    assert found(body, "interior ministry", "it would review the order every week")


def test_an_agency_that_assessed_that_is_reported_speech():
    assert found("The Testland Cyber Agency has assessed with high confidence that the attackers used a stolen "
                 "password.", "Testland Cyber Agency", "the attackers used a stolen password")


def test_state_news_agency_followed_by_its_acronym_is_the_acronym():
    assert found("State news agency TNX on Monday called the drill “a rehearsal for aggression.”", "TNX",
                 "a rehearsal for aggression")


def test_a_quotation_left_open_is_given_to_whoever_the_next_paragraph_says_spoke():
    body = ("Among the volunteers at the dyke was Britt Halloran, a retired ferry pilot.\n\n"
            "“We filled sandbags until our hands bled. Nobody stopped.\n\n"
            "“When the water turned, we just sat down in the mud,” she said.")
    ex = read(body)
    assert found(body, "Britt Halloran", "We filled sandbags until our hands bled")
    assert found(body, "Britt Halloran", "When the water turned")
    assert not any("no speaker" in note for note in ex.notes)


def test_a_quotation_left_open_with_no_attribution_after_it_is_not_attributed():
    body = ("Mayor Anke Toller said the dyke had held.\n\n"
            "“We filled sandbags until our hands bled. Nobody stopped.\n\n"
            "The water receded on Friday.")
    assert [s for s, t, _ in said(body) if "sandbags" in t] == []


def test_a_two_word_name_after_a_bare_company_noun_may_still_be_a_person():
    ex = read("The parcel was found by letter carrier Anna Holm. Anna Holm said she had never seen anything like it.")
    assert ex.speakers["Anna Holm"].kind == "person"


def test_a_printed_interview_answers_for_the_person_its_set_up_names_not_the_latest_quoted():
    body = (
        "“The ward lights never went out,” the clinic’s director, Dr. Selma Orrvik, told the Gazette.\n\n"
        "Transport Minister Kaspar Lindehol took questions from reporters for a quarter of an hour.\n\n"
        "Q: Will the trains run tomorrow?\n\n"
        "A: Most lines will run, though the coastal branch stays closed until the bridge is checked.\n\n"
        "Q: Who pays for the repairs?\n\n"
        "A: The operator pays first, and the courts can sort out the rest afterwards."
    )
    answers = [(s, t) for s, t, rule in said(body) if rule == "an interview's answer"]
    assert len(answers) == 2 and {s for s, _ in answers} == {"Kaspar Lindehol"}


def test_an_announcement_narrated_in_a_subordinate_clause_is_no_statement():
    body = ("Shares in Corrow Fisheries fell 9% after the government unveiled a levy on trawler licences, a step "
            "the industry says will cost it dearly.")
    assert not [s for s, _, rule in said(body) if rule == "X announced …"]
    body = "The Harlow Port Authority announced a new toll on container traffic to pay for dredging the channel."
    assert found(body, "Harlow Port Authority", "a new toll on container traffic")


def test_it_said_after_a_sentence_names_the_sentences_own_subject():
    body = ("The Dunmark Water Board said on Monday that reservoirs were full. "
            "The Harlen Savings Bank cut its mortgage rate by half a point to 4.1% on Friday, it said in a statement.")
    assert found(body, "Harlen Savings Bank", "cut its mortgage rate by half a point")
    assert not found(body, "Dunmark Water Board", "cut its mortgage rate")


def test_he_after_a_sentence_about_someone_unnamed_is_nobody():
    body = ("“The tide decides,” Harald Vinsen says.\n\n"
            "A woman who sells bait on the pier, and who asked that her name not be printed, shrugged at the "
            "question. “The tide decides nothing, the quota does,” she said.")
    assert [s for s, _, _ in said(body)] == ["Harald Vinsen"]


def test_how_much_was_said_and_a_sum_added_are_no_statements():
    body = "The water board has said little in public beyond promising to look at the pipes again."
    assert said(body) == []
    body = ("Ferry operator Signe Holmvik said the line would sail around the headland from May, "
            "adding two hours to every crossing.")
    assert found(body, "Signe Holmvik", "the line would sail around the headland")
    assert not [r for _, _, r in said(body) if r.startswith("…, adding")]


def test_a_relative_that_after_told_does_not_open_what_was_said():
    body = ("Economist Lotta Fremberg told the Courier the strike marked a shift in a dispute that had "
            "simmered since the mill closed.")
    assert found(body, "Lotta Fremberg", "the strike marked a shift in a dispute")
    body = "Economist Lotta Fremberg told a trade fair in Osk on Monday that wages would rise."
    assert found(body, "Lotta Fremberg", "wages would rise")


def test_a_statement_issued_by_an_institution_speaks_for_it_in_the_next_sentences():
    body = ("The Harbour Board of Vesk in a statement released on Monday branded the toll “a tax on every "
            "fisherman in the bay.” The statement said that the board would appeal against the ruling in court.")
    assert found(body, "Harbour Board of Vesk", "a tax on every fisherman in the bay")
    assert found(body, "Harbour Board of Vesk", "the board would appeal against the ruling")


def test_an_office_named_only_in_a_description_routes_the_speaker_as_an_official():
    story = read("“The convoy leaves at dawn,” said Mikkel Arnstad, the relief agency’s coordinator at Ferrow Gate.")
    assert story.speakers["Mikkel Arnstad"].target == "citation"
    story = read("“Prices will ease by spring,” said Hanne Solberg, head of freight risk at Tallow Re.")
    assert story.speakers["Hanne Solberg"].target == "commentary"


def test_the_age_noun_refers_to_the_person_the_story_opened_with_not_the_dateline():
    story = extract("Brannock Quay, Marvalia (TWR) - Oda Selmark has sold fish on this quay since she was a girl.\n\n"
                    "“The boats come back half empty now,” the 67-year-old told TWR, gutting a cod.")
    assert [(s.speaker, s.text[:14]) for s in story.statements] == [("Oda Selmark", "The boats come")]


def test_the_age_noun_with_nobody_before_it_is_nobody():
    assert said("“The boats come back half empty now,” the 67-year-old told reporters on the quay.") == []


@pytest.mark.parametrize("gap", ["\n\n", " "])
def test_a_quotation_signed_on_the_line_after_it_is_the_signers(gap):
    body = ("The krona fell 2%.\n\nWhat Harrowgate Economics Says...\n\n"
            "“The board has more work to do, and we expect two more increases before the summer recess.”"
            f"{gap}— Ilse Marrant, Norvik economist\n\nBonds were steady.")
    assert found(body, "Ilse Marrant", "we expect two more increases before the summer")
    assert len(said(body)) == 1


def test_as_x_put_it_with_an_adjunct_before_a_colon():
    body = ("Harbour Minister Tove Ringdal has pressed for a joint patrol. As Ringdal put it plainly at a forum "
            "in Osk: “Nobody else will guard these waters for us.”")
    assert found(body, "Tove Ringdal", "Nobody else will guard these waters")
