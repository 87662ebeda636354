"""Find who said what in a story's paragraphs, and whether each speaker is an expert or a source.

Each sentence is read against a fixed list of frames, and every statement records the frame that
found it (``Statement.rule``) so the editor sees why it was suggested:

- direct quotes: "“...,” Kim said", "“...,” said X, professor at Y", "X said: “...”", "X put it
  bluntly: “...”", "As X acknowledged, “...”"; a sentence that is only a quotation continues the
  speaker before it, across paragraphs too;
- reported speech: "X said (that) ...", "X told reporters ...", "..., X said.", "..., said X.",
  "..., he says, ...", "According to X, ...", "..., according to X.";
- frames whose object carries the message: "X called the plan “...”", "X accused Y of ...",
  "X urged Y to ...", "X announced ...", "X expressed concern that ...", "..., saying ...",
  "..., telling parliament that ...", "... and said ...".

Who the speaker is comes from the grammar in ``speakers``; what was said is stored without the
attribution clause (the story keeps the printed sentence). Unnamed groups ("Analysts believe",
"Experts say", "a diplomat who asked not to be named") are never attributed.
"""
import re
from dataclasses import dataclass, replace

from .lexicon import (
    ACCUSE_VERBS,
    ANALYST_TITLES,
    ANNOUNCE_VERBS,
    AUXILIARIES,
    CALL_VERBS,
    CLAUSE_VERBS,
    COMPANY_NOUNS,
    DASHES,
    EXPRESS_VERBS,
    EXPRESSED_FEELINGS,
    KNOWN_STATE_MEDIA,
    LO,
    MONTHS,
    OFFICIAL_TITLES,
    PARTICIPLES,
    POINT_TO_VERBS,
    QUOTE_OPEN,
    STATE_MEDIA_RE,
    TAG_ONLY_VERBS,
    TITLE_WORDS,
    UP,
    URGE_VERBS,
    VERB_ALTERNATION,
    VERB_RE,
    WEEKDAYS,
    is_title_word,
    org_kind,
    title_head,
)
from .sentences import mask_quotes, quote_spans, split_sentences
from .speakers import Names, Ref, segments, top_level_commas


@dataclass
class Speaker:
    """A person or institution that copy attributes statements to."""

    name: str
    kind: str = "person"  # person | institution
    title: str = ""
    affiliation: str = ""
    affiliation_kind: str = ""
    country: str = ""
    description: str = ""
    carried_by: str = ""  # "state media", "KCNA": the outlet that carried the person's statement
    role: str = ""  # analyst | official | institution | unknown
    target: str = ""  # commentary | citation
    source_name: str = ""
    source_kind: str = ""
    source_description: str = ""
    rank: str = ""


@dataclass
class Statement:
    """Words the copy attributes to a speaker."""

    speaker: str
    text: str  # what was said: the quotation, or the reported clause without its attribution
    direct: bool
    paragraph: int
    rule: str
    sentence: str = ""  # the sentence as printed
    reference: str = ""  # how the copy named the speaker here, when it was not the full name


# A sentence about someone who is not named: "A young man who ferries cartons at night, and who asked that his
# name not be used, laughed ...", "One resident, who spoke on condition of anonymity, ..."
ANONYMOUS_SUBJECT = re.compile(
    r"^\s*(?:A|An|One|Another)\s+[^,.;]{0,60}?\bwho\b[^.;]{0,120}?\b(?:not be (?:named|identified|used)|"
    r"(?:his|her|their) name|anonymity|declined to be (?:named|identified))"
)
# The line that signs a quotation: "— Lena Morrow, Varnland economist"
SIGNATURE = re.compile(r"^\s*(?:—|–|--)\s*([" + UP + r"][^\n]{2,120})$")
TIMESTAMP = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}\s*(?:a\.m\.|p\.m\.|am|pm)?(?:\s+[A-Z]{2,4})?|\d{1,2}\s*(?:a\.m\.|p\.m\.))\s*(?:--|—|–|-|:)\s+"
)
WEEKDAY = "|".join(WEEKDAYS)
MONTH = "|".join(MONTHS)
ADJUNCTS = [
    rf"(?:(?:late |early )?on )?(?:{WEEKDAY})(?: (?:morning|afternoon|evening|night))?",
    r"on (?:social media|television|state television|state TV|radio|the radio|X|Twitter|Facebook|Telegram|its website)",
    rf"(?:last|this|next|earlier this|later this) (?:week|month|year|weekend|{WEEKDAY})",
    rf"in (?:{MONTH})(?: \d{{4}})?",
    r"(?:today|yesterday|tonight|overnight|again|also|separately|publicly|privately|repeatedly|earlier|later|"
    r"previously|recently|then|too|bluntly|flatly|firmly|simply|once|at the time|at one point)",
    r"with (?:pride|a smile|a shrug|regret|some satisfaction|satisfaction|emphasis)",
    r"(?:by|via|over) (?:phone|telephone|email|e-mail|text message|video link|video)",
    r"(?:to|at|before) (?:reporters|journalists|the press|the media|lawmakers|supporters)",
    r"(?:in|at|during|after|before|on|through) (?:a|an|the|his|her|its|their) (?:[\w’'-]+ ){0,4}?"
    r"(?:statement|interview|note|speech|reply|response|briefing|letter|post|message|article|report|email|"
    r"call|conference|session|address|broadcast|podcast|hearing|meeting|ceremony|signing|summit|rally|debate|"
    r"visit|release|posting|appearance|video|dispatch|commentary|editorial|column|book|paper|study|memo|"
    r"testimony|remarks|event|forum|filing|tweet|blog|newsletter|programme|program|show)"
    r"(?: (?:carried|published|issued|released|posted|sent|circulated|given|"
    r"broadcast|to|with|on|at|by|for|in|of) [^,“\"]*?)?(?= that\b|,|$)",
]
ADJUNCT_RE = re.compile(r"^(?:" + "|".join(ADJUNCTS) + r")\b\s*,?\s*", re.I)
# What may follow "X said" at the end of a sentence without being what was said.
TRAILING_ADJUNCT = re.compile(
    r"^(?:\s*$|\s*,|\s+(?:on|in|at|to|by|during|after|before|late|early|last|this|earlier|later|today|"
    r"yesterday|told|citing|according|from|via|over|through|with|when|while|as|adding|"
    + "|".join(WEEKDAYS) + r")\b)"
)
INTRO_START = re.compile(
    r"^(?:in|at|on|when|after|before|speaking|looking|noting|asked|still|however|meanwhile|separately|earlier|"
    r"later|also|but|and|the same day|since|despite|although|while|as|for|with|without|by|under|over|unlike|"
    r"elsewhere|last|this|next|today|yesterday|hours|days|minutes|weeks|on \w+|in \w+|during|then|instead|"
    r"nonetheless|nevertheless|yet|so|by contrast|in response|responding|addressing|writing|reacting|outside|inside|"
    r"among|near|across|around|along|beyond|beside|behind)\b",
    re.I,
)
ADJUNCT_STARTS = {w.lower() for w in WEEKDAYS} | {
    "in", "on", "at", "by", "with", "during", "after", "before", "late", "early", "last", "this", "earlier", "later",
    "today", "yesterday", "to", "via", "over", "through", "from", "again", "also", "separately", "publicly",
    "repeatedly", "flatly", "for", "privately", "once", "previously", "recently",
}
NOT_ENDING = {"of", "for", "and", "the", "at", "from", "to", "&"}  # a subject does not end before these
STATEMENT_WORDS = 3
# State media's "Stressing that …, he set forth …": the participle's clause, then its subject and verb
EMPHASIS = re.compile(
    r"^(?:Stressing|Saying|Pointing out|Emphasizing|Emphasising|Underlining|Stating|Declaring|Recalling|Affirming|"
    r"Expressing (?:the )?(?:belief|conviction|hope)) that\s+(.+?)(?:,|_[”\"])\s+"
    rf"((?:he|she|[{UP}][^,]{{1,80}}?))\s+(?:also\s+)?(?:highly\s+)?[a-z]+(?:ed|t)\b"
)
MAX_SENTENCE = 1500  # characters; longer "sentences" are lists or broken copy, and reading them is slow
MAX_VERBS = 8  # speech verbs tried per sentence  # reported speech shorter than this is not worth suggesting


def strip_timestamp(paragraph):
    """Drop a live-updates time stamp ("16:05 GMT -- ", "23:48 — ") from the start of a paragraph."""
    return TIMESTAMP.sub("", paragraph)


def is_quote_only(sentence):
    spans = quote_spans(sentence)
    stripped = sentence.strip()
    if not spans or spans[0][0] != 0 or stripped[:1] not in QUOTE_OPEN:
        return False
    end = spans[0][1]
    return len(spans) == 1 and not stripped[end:].strip(" .,;:") or all(
        not stripped[a_end:b_start].strip(" .,;:") for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
    ) and not stripped[spans[-1][1]:].strip(" .,;:")


def finite(text):
    """True when text reads as a clause with a verb of its own ("the levy would cut ...") or quotes one."""
    words = re.findall(r"[\w’']+", mask_quotes(text).lower())
    return any(w in AUXILIARIES for w in words[1:]) or "“" in text or '"' in text


def adjunct_like(text):
    """True when text between a speech verb and "that" is only where, when or how it was said."""
    words = text.split()
    return bool(words) and len(words) <= 14 and words[0].lower() in ADJUNCT_STARTS and not finite(" " + text)


def told_that(text):
    """True when text between "told" and "that" is only the listener and adjuncts ("an industry conference
    in March"), so "that" opens what was said."""
    words = text.split()
    return any(not words[k:] or adjunct_like(" ".join(words[k:])) for k in range(1, min(len(words), 5) + 1))


def strip_adjuncts(text):
    """Strip time, place and manner adjuncts from the start of what follows a speech verb."""
    text = text.strip()
    for _ in range(6):
        m = ADJUNCT_RE.match(text)
        if not m or not m.group(0).strip():
            break
        text = text[m.end():].strip()
    return text


def verb_class(verb):
    if verb in CALL_VERBS:
        return "call"
    if verb in ACCUSE_VERBS:
        return "accuse"
    if verb in URGE_VERBS:
        return "urge"
    if verb in ANNOUNCE_VERBS:
        return "announce"
    if verb in EXPRESS_VERBS:
        return "express"
    if verb in POINT_TO_VERBS:
        return "point"
    if verb in {"responded", "responds", "responding"}:
        return "respond"
    if verb in TAG_ONLY_VERBS:
        return "tag"
    if verb in CLAUSE_VERBS:
        return "clause"
    return "say"


class Reader:
    """Walk the paragraphs in order, remembering who has spoken so short references resolve."""

    def __init__(self, *, outlet=""):
        self.names = Names(outlet=outlet)
        self.statements = []
        self.speakers = {}
        self.refs = {}  # speaker name -> the details each reference printed, merged
        self.carried_by = {}
        self.previous_paragraph_quote = None

    @property
    def notes(self):
        return self.names.notes

    # Recording ----------------------------------------------------------------------------------
    def add(self, ref, text, *, direct, paragraph, rule, sentence):
        text = text.strip()
        text = re.sub(r",$", ".", text) if direct else text.strip(",;").strip()
        if not text:
            return None
        carrier = re.search(
            rf"carried by (?:the\s+)?(state(?:-run)? media|KCNA|Korean Central News Agency|[{UP}][\w ]{{1,40}}?)"
            r"(?=[,.]|\s+(?:on|in|that|\()|$)",
            sentence,
        )
        if carrier and ref.kind == "person":
            self.carried_by.setdefault(ref.name, carrier.group(1))
        if ref.kind == "institution" and not ref.reference.lower().startswith("the statement") and re.search(
                r"\b(?:in|issued|released)\s+(?:a|an|its)\s+(?:[\w-]+\s+){0,2}(?:statement|communiqu[eé]|report)\b",
                mask_quotes(sentence)):
            self.names.document_author = ref.name  # "The statement said …" next is this institution's
        if ref.kind == "person" and self.institutional(ref, text, sentence):
            self.names.make_institution(ref.name)
            ref = Ref(ref.name, "institution", reference=ref.reference)
            self.speakers.pop(ref.name, None)
        if ref.kind == "person" and not ref.affiliation and CORPORATE_OFFICER.match(ref.title):
            ref.affiliation = self.names.resolve_institution("company") or ""  # the company the story is about
        spk = self.speakers.get(ref.name)
        if spk is None:
            spk = self.speakers[ref.name] = Speaker(name=ref.name, kind=ref.kind)
        for key in ("title", "affiliation", "country", "description", "rank"):
            if getattr(ref, key) and not getattr(spk, key):
                setattr(spk, key, getattr(ref, key))
        self.names.spoke(ref)
        self.note_subject(ref)
        statement = Statement(
            speaker=ref.name, text=text, direct=direct, paragraph=paragraph, rule=rule, sentence=sentence,
            reference=ref.reference,
        )
        self.statements.append(statement)
        return statement

    def institutional(self, ref, text, sentence):
        """True when the grammar shows a capitalized name is an institution ("Nordlink Data", "Statistics Talmora").

        Only a name printed in full, with no title or honorific, and only on evidence in the sentence:
        "X, which ...", "X, the largest herring operator,", "the cable's operator, X,", "X said in its
        bulletin", or what X said calls X "it" ("X said in a statement that it remained ...").
        """
        if ref.reference or ref.rank or len(ref.name.split()) < 2 or ref.name in self.names.genders:
            return False
        if ref.title and ref.title.split()[-1] not in COMPANY_NOUNS | {"operator", "owner", "agency", "service"}:
            return False
        name = re.escape(ref.name)
        noun = r"(?:company|firm|group|operator|carrier|lender|insurer|producer|owner|agency|service|office|bureau)"
        return bool(
            re.search(name + r",\s+which\b", sentence)
            or re.search(name + r",\s+(?:the|a|an|its)\s+(?:[\w’'-]+\s+){0,4}" + noun + r"\b[^,]*,", sentence)
            or re.search(r"(?:the|its|[\w’'-]+[’']s)\s+(?:[\w-]+\s+){0,2}" + noun + r",\s+" + name + ",", sentence)
            or re.search(name + r"\s+(?:" + VERB_ALTERNATION + r")\s+(?:\w+\s+)?in\s+its\b", sentence)
            or re.match(r"^(?:that\s+)?(?:it|its)\s", text)
        )

    def note_subject(self, ref):
        if ref.kind == "person" or ref.spokesperson:
            self.names.note_subject(Ref(ref.name, ref.kind, spokesperson=ref.spokesperson))
        if ref.kind == "institution":
            self.names.last_institution = ref.name
            if ref.spokesperson:
                self.names.spokesperson_for = ref.name

    # Paragraphs and sentences -------------------------------------------------------------------
    def read_paragraph(self, number, paragraph, following=""):
        if self.read_signed(number, paragraph, following):
            return
        stamped = strip_timestamp(paragraph)
        if stamped != paragraph:
            self.previous_paragraph_quote = None  # a live page's new entry: no quotation runs into it
        paragraph = stamped
        if self.read_run(number, paragraph):
            return
        interview = self.read_interview(number, paragraph)
        self.last_paragraph = paragraph
        if interview:
            return
        carry = self.previous_paragraph_quote
        self.previous_paragraph_quote = None
        pending, self.pending_open = getattr(self, "pending_open", None), None
        previous = None  # the statement the previous sentence of this paragraph ended with
        for index, sentence in enumerate(split_sentences(paragraph)):
            self.names.scan(sentence)
            found = self.read_sentence(number, sentence)
            if pending and index == 0 and found and found[0].direct and found[0].rule == "quote, then who said it" and (
                    sentence.lstrip()[:1] in QUOTE_OPEN):
                # A quotation left open at the end of the paragraph before runs into this one, which says who
                # said it: the open paragraph is the same speaker's
                ref = Ref(found[0].speaker, self.speakers[found[0].speaker].kind, reference="")
                self.add(ref, pending[1], direct=True, paragraph=pending[0], sentence=pending[2],
                         rule="quotation continued into the paragraph that says who said it")
                if pending[3] in self.notes:
                    self.notes.remove(pending[3])
            if not found and is_quote_only(sentence):
                speaker = carry if index == 0 else previous
                if speaker is None and index == 0 and len(split_sentences(paragraph)) == 1 and is_unclosed(paragraph):
                    quote = paragraph.strip().lstrip("“\"").strip()
                    note = f"Paragraph {number}: a quotation with no speaker (“{quote[:60]}…”); not attributed."
                    self.notes.append(note)
                    self.pending_open = (number, quote, paragraph, note)
                    continue
                found = self.continue_quote(number, sentence, speaker)
            if not found:
                self.read_subject(sentence)
            previous = found[-1] if found else None
            if found and found[-1].direct:
                self.previous_paragraph_quote = found[-1]
            else:
                self.previous_paragraph_quote = None
        self.introduced = self.introducer(paragraph) if paragraph.rstrip().endswith(":") else None

    def read_signed(self, number, paragraph, following):
        """A quotation signed on the line after it ("“…”" then "— Lena Morrow, Varnland economist"), as
        Bloomberg's economists' boxes print them; True when the paragraph was read here."""
        if SIGNATURE.match(paragraph) and getattr(self, "signed", None) == number - 1:
            return True  # the signature line of the quotation before
        inline = re.match(r"^(\s*[“\"][^“”\"]{20,}[”\"])\s*((?:—|–|--)\s*[^“”\"]+)$", paragraph.strip())
        signature = SIGNATURE.match(inline.group(2)) if inline else None
        quote = inline.group(1) if signature else paragraph
        signature = signature or SIGNATURE.match(following.strip())
        if not signature or not re.fullmatch(r"\s*[“\"][^“”\"]{20,}[”\"]\s*", quote):
            return False
        ref = self.names.parse(signature.group(1), quiet=True)
        if ref is None or ref.kind != "person" or len(ref.name.split()) < 2:
            return False
        self.names.remember(ref)
        self.add(ref, quote.strip().strip("“”\""), direct=True, paragraph=number, rule="a signed quotation",
                 sentence=paragraph)
        self.previous_paragraph_quote = None
        self.signed = number
        return True

    def introducer(self, paragraph):
        """Who a paragraph ending with a colon hands over to: (ref, "answer") or (ref, "quote"), or None.

        KCNA prints "A spokesman for the ministry gave the following answer to a question raised by
        DCNA:" and the answer as the next paragraphs, with no attribution in them; other copy ends a
        paragraph with "..., who told a seminar in March:" and opens the next with the quotation.
        """
        sentence = split_sentences(paragraph)[-1]
        masked = mask_quotes(sentence)
        m = re.search(r"\s+(?:gave|answered|issued|released|made|published|sent|delivered|read)\s+"
                      r"(?:(?:the|a|an)\s+)?following\b", masked)
        if m and not quote_spans(sentence[: m.start()]):  # the question may quote a word ("the “sanctions”")
            ref = self.parse_subject(sentence[: m.start()])
            return (ref, "answer") if ref else None
        if quote_spans(sentence):
            return None
        parsed = self.tag_before(sentence)
        if parsed:
            return parsed[0], "quote"
        return None

    def read_run(self, number, paragraph):
        """Read a paragraph an introducer handed over to; True when it was read here."""
        introduced = getattr(self, "introduced", None)
        if not introduced:
            return False
        ref, mode = introduced
        if mode == "quote":
            self.introduced = None
            if not is_quote_only(paragraph):
                return False
            sentence = paragraph.strip()
            quote = " ".join(sentence[a + 1:b].rstrip("”\"") for a, b in quote_spans(sentence)).strip()
            statement = self.add(replace(ref), quote, direct=True, paragraph=number,
                                 rule="who said it:, then the quotation in the next paragraph", sentence=sentence)
            self.previous_paragraph_quote = statement
            return bool(statement)
        if re.match(r"^(?:Question|Q)\s*:", paragraph):
            return True  # the question is DCNA's own; the answer follows
        if re.match(r"^(?:Meanwhile|Earlier|Separately|On the same day)\b", paragraph) or quote_spans(
                paragraph[:1]) or self.read_sentence_probe(paragraph):
            self.introduced = None
            return False
        text = re.sub(r"^(?:Answer|A)\s*:\s*", "", paragraph.strip())
        self.add(replace(ref), text, direct=False, paragraph=number, rule="the following answer (or statement):",
                 sentence=paragraph)
        return True

    def read_interview(self, number, paragraph):
        """Read a printed interview; True when the paragraph was an answer read here.

        "Q:" opens a question (read as narration); "A:" is the answer of the person interviewed (the
        latest person quoted, preferring one said to have given an interview); "BREKKE:" is the answer
        of the person the story named with that surname. Paragraphs after an answer with no question,
        quotation or attribution of their own continue it, one statement a paragraph.
        """
        label = re.match(r"^(Q|Question|A|Answer|[" + UP + r"][" + UP + r"’'\-]+(?:\s+[" + UP + r"][" + UP
                         + r"’'\-]+){0,2})\s*:\s+(\S.*)$", paragraph.strip(), re.S)
        answering = getattr(self, "answering", None)
        if label and label.group(1) in {"Q", "Question"}:
            if not getattr(self, "interview", False):
                self.interview_setup = self.set_up_interviewee()
            self.interview = True
            self.answering = None
            return False
        name = None
        if label and label.group(1) in {"A", "Answer"} and getattr(self, "interview", False):
            name = self.interviewee()
        elif label and label.group(1) not in {"A", "Answer"} and len(label.group(1)) > 2:
            short = self.names.resolve_short(label.group(1).split()[-1].title())
            name = short if short and short.lower().endswith(label.group(1).split()[-1].lower()) else None
        if label and name:
            self.interview = True
            text = label.group(2).strip()
        elif answering and not label and self.continues_answer(paragraph):
            name, text = answering, paragraph.strip()
        else:
            self.answering = None
            return False
        ref = Ref(name, self.speakers[name].kind if name in self.speakers else self.names.kind_of(name))
        statement = self.add(ref, text, direct=True, paragraph=number, rule="an interview's answer",
                             sentence=paragraph)
        self.answering = name if statement else None
        for sentence in split_sentences(text):  # what the answer itself reports ("DCNA ran a commentary saying ...")
            self.names.scan(sentence)
            for ref, said_text, direct, rule in self.read_quotes(sentence) or self.read_reported(sentence):
                if ref.name != name and ref.kind == "institution":
                    self.add(ref, said_text, direct=direct, paragraph=number, rule=rule, sentence=sentence)
        return bool(statement)

    def continues_answer(self, paragraph):
        """True when a paragraph after an answer goes on with it: no quotation, attribution or person named
        in full ("Ansa Brekke is a senior fellow at ..." is the outlet's note, not the answer)."""
        return not quote_spans(paragraph) and not self.read_sentence_probe(paragraph) and (
            paragraph.rstrip()[-1:] in ".!?") and not any(
                full in paragraph for full in self.names.people if len(full.split()) >= 2)

    def set_up_interviewee(self):
        """The person the paragraph before a printed interview's first question says is answering
        ("Energy Minister X took questions from reporters ...", "X spoke to the Courier ..."), or None."""
        setup = getattr(self, "last_paragraph", "")
        if not re.search(r"\b(?:interview\w*|questions?|spoke|speaking|talked|sat down|answered)\b", setup):
            return None
        named = sorted((setup.find(name), name) for name in self.names.people
                       if len(name.split()) >= 2 and name in setup)
        return named[0][1] if named else None

    def interviewee(self):
        """The person an "A:" answers for: the person the set-up paragraph names as answering, else the latest
        person who spoke in an interview, else the latest person."""
        if getattr(self, "interview_setup", None):
            return self.interview_setup
        people = [s for s in reversed(self.statements) if self.speakers[s.speaker].kind == "person"]
        for statement in people:
            if re.search(r"\binterview", statement.sentence, re.I):
                return statement.speaker
        return people[0].speaker if people else None

    def read_sentence_probe(self, paragraph):
        """True when a paragraph attributes something itself (the handed-over run has ended)."""
        masked = mask_quotes(paragraph)
        return bool(re.search(r"\b(?:said|says|told|added|stressed|noted)\b", masked))

    def continue_quote(self, number, sentence, previous):
        quote = " ".join(sentence[a + 1:b].rstrip("”\"") for a, b in quote_spans(sentence)).strip()
        if previous is None:
            self.notes.append(f"Paragraph {number}: a quotation with no speaker (“{quote[:60]}…”); not attributed.")
            return []
        ref = Ref(previous.speaker, self.speakers[previous.speaker].kind, reference="")
        statement = self.add(ref, quote, direct=True, paragraph=number,
                             rule="quotation continuing the previous speaker", sentence=sentence)
        return [statement] if statement else []

    def read_sentence(self, number, sentence):
        if len(sentence) > MAX_SENTENCE:
            self.notes.append(f"Paragraph {number}: a sentence of {len(sentence)} characters was not read for quotes.")
            return []
        found = self.read_quotes(sentence)
        if not found:
            found = self.read_reported(sentence)
        statements = []
        for ref, text, direct, rule in found:
            statement = self.add(ref, text, direct=direct, paragraph=number, rule=rule, sentence=sentence)
            if statement:
                statements.append(statement)
        return statements

    def read_subject(self, sentence):
        """Remember who a sentence without a statement is about, for "he", "she", "it" and "the report"."""
        # past a dateline ("Orvan Wells, Karesh (ALP) - "): a place is nobody a pronoun refers to
        sentence = re.sub(r"^[^()“\"]{0,60}\([A-Z]{2,6}\)\s*(?:--|[-–—])\s*", "", sentence)
        masked = mask_quotes(sentence)
        if ANONYMOUS_SUBJECT.match(masked):
            self.names.note_subject(Ref("", "anonymous"))  # "he" in what follows is nobody to name
            return
        ref = None
        parts = segments(masked)
        for count in (2, 1):
            if len(parts) > count and (ref := self.names.parse(", ".join(parts[:count]), quiet=True)):
                break
        if parts and len(parts) > 1 and not finite(parts[0]) and (
                INTRO_START.match(parts[0]) or len(parts[0].split()) <= 6 and parts[0][:1].isupper()
                and not self.names.parse(parts[0], quiet=True)):
            parts = parts[1:]  # "At a polling station, retired teacher X was voting": past the adjunct
        if ref is None and parts:
            inverted = re.match(r"^(?:Among|With|Beside|Next to|Behind|Inside|Outside|At|In|On)\b[^,]*?\s+"
                                r"(?:was|were|stood|sat)\s+(.+)$", ", ".join(parts))
            if inverted:  # "Among the crowd at the gate was Signe Halvorsen, whose husband ...": inverted
                head = segments(inverted.group(1))
                ref = self.names.parse(head[0], quiet=True) if head else None
        if ref is None and parts:
            tokens = parts[0].split()
            for k in range(min(len(tokens) - 1, 24), 0, -1):
                if tokens[k][:1].islower() and not is_title_word(tokens[k]) and tokens[k] not in NOT_ENDING:
                    ref = self.names.parse(" ".join(tokens[:k]), quiet=True)
                    if ref:
                        break
        if ref is None:
            return
        self.names.remember(ref)
        self.note_subject(ref)
        if ref.kind == "institution" and re.search(
            r"\b(?:issued|released|published|put out|carried|adopted)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}"
            r"(?:statement|report|communiqu[eé]|release|note|notice|decree|directive|resolution|order)\b", masked
        ):
            self.names.document_author = ref.name

    # Direct quotes ------------------------------------------------------------------------------
    def read_quotes(self, sentence):
        """Quotations with an attribution next to them; return [(ref, text, direct, rule)]."""
        spans = quote_spans(sentence)
        if not spans:
            return []
        found = []
        start, end = spans[0]
        quote = sentence[start + 1:end - 1] if sentence[end - 1] in "”\"" else sentence[start + 1:end]
        before = sentence[:start]
        next_start = spans[1][0] if len(spans) > 1 else len(sentence)
        tail = sentence[end:next_start]
        ends_clause = re.search(r"[,?!" + DASHES + r"]$", quote.strip()) or tail.strip().startswith(",")
        if not before.strip() and ends_clause and tail.strip():
            parsed = self.tag_after(tail, rest=sentence[end:])
            if parsed:
                ref, extra, rule = parsed
                text = quote.strip()
                if len(spans) > 1 and tail.strip().endswith(","):
                    s2, e2 = spans[1]
                    text = text + " " + sentence[s2 + 1:e2].rstrip("”\"").strip()  # “Part one,” Kim said, “part two.”
                found.append((ref, text, True, rule))
                for extra_text, extra_rule in extra:
                    found.append((ref, extra_text, False, extra_rule))
                return found
        if before.strip() and re.search(r"[:,]\s*$", before) and not sentence[end:].strip(" .") and len(spans) == 1:
            if ";" in before:  # "My colleague X disagrees; in his view, “…”": the first clause names him
                self.read_subject(before.split(";")[0])
            parsed = self.tag_before(before.split(";")[-1])
            if parsed:
                ref, rule = parsed
                found.append((ref, quote.strip(), True, rule))
        return found

    def tag_after(self, tail, *, rest=""):
        """Parse the attribution after a quotation: "Kim said", "said X, professor at Y", "he told AVP".

        rest is the whole sentence after the quotation, for a clause that follows the attribution
        ("…,” she said, adding that the army was “on full alert.”").
        """
        tail = tail.strip().lstrip(",").strip()
        masked = mask_quotes(tail)
        cut = re.search(r",\s*(?:according to|citing)\b", masked)
        if cut:
            tail, masked = tail[: cut.start()], masked[: cut.start()]
        tail = tail.rstrip(" .")
        masked = masked[: len(tail)]
        according = re.match(r"^according to\s+(.+)$", tail, re.I)
        if according:  # "“…,” according to the ministry."
            ref = self.names.parse(according.group(1))
            return (ref, [], "quote, according to X") if ref else None
        verbs = list(VERB_RE.finditer(masked))
        if not verbs:
            return None
        first = verbs[0]
        if first.start() == 0:
            ref = self.subject_after_verb(tail[first.end():])
            return (ref, [], "quote, then who said it") if ref else None
        if verb_class(first.group(1)) in {"call", "accuse", "urge", "announce", "express", "point", "respond"}:
            return None
        ref = self.names.parse(tail[: first.start()])
        if not ref:
            return None
        extra = []
        after = rest[rest.find(tail[first.start():first.end()]) + len(first.group(1)):] if rest else tail[first.end():]
        adding = re.search(r",\s*(adding|noting|saying|arguing|warning|insisting)\s+(?:that\s+)?(.+?)\.?$", after)
        if adding and len(adding.group(2).split()) >= STATEMENT_WORDS:
            extra.append((adding.group(2), f"quote, then “{adding.group(1)} that …”"))
        return ref, extra, "quote, then who said it"

    def subject_after_verb(self, text):
        """Parse the speaker printed after the verb ("said Orla Kennaway, chief economist at ... in Cardenval")."""
        text = text.strip()
        ref = self.names.parse(text)
        if ref:
            return ref
        for m in reversed(list(re.finditer(r"\s+(?:on|in|at|during|after|before|late|early|last|to|by|via|as|when|"
                                           r"while|from|told|of)\b|,", text))):
            ref = self.names.parse(text[: m.start()])
            if ref:
                return ref
        return None

    def tag_before(self, before):
        """Parse the attribution before a quotation: "X said:", "X put it bluntly:", "As X acknowledged,"."""
        text = before.strip().rstrip(":,").strip()
        masked = mask_quotes(text)
        m = re.match(r"^As\s+(.+?)\s+(" + VERB_ALTERNATION + r"|put it)\b(?:\s+\w+)?(.*)$", masked)
        if m and m.group(3).strip() and not adjunct_like(m.group(3).strip()):
            m = None  # "As X put it bluntly at a press conference in Y:" is fine; a clause after the verb is not
        if m:
            ref = self.names.parse(text[m.start(1):m.end(1)])
            return (ref, "as X said, “…”") if ref else None
        m = re.match(r"^[Ii]n\s+(.+?)(?:[’']s?)?\s+(?:own\s+)?(?:words|view|opinion)$", masked)
        if m:  # "In Renstrom's words, “…”", "in his view, “…”"
            owner = text[m.start(1):m.end(1)]
            ref = self.names.parse({"his": "he", "her": "she", "its": "it"}.get(owner.lower(), owner))
            return (ref, "in X's words (or view), “…”") if ref else None
        m = re.search(r"\s+(?:put|puts|putting|summed|sums)\s+(?:it|things|matters)\b", masked)
        if m:
            ref = self.parse_subject(text[: m.start()])
            return (ref, "X put it: “…”") if ref else None
        for vm in VERB_RE.finditer(masked):
            if re.search(r"\b(?:the|a|an|his|her|its|their|this|that)\s+$", masked[: vm.start()], re.I):
                continue  # a noun here ("The warning came from ..."), not the verb
            if verb_class(vm.group(1)) not in {"say", "clause", "tag"}:
                return None
            after = strip_adjuncts(text[vm.end():])
            if verb_class(vm.group(1)) == "say" and vm.group(1) in {"told", "tells", "telling"}:
                after = re.sub(rf"^(?:[{UP}][\w&]*(?:\s+[{UP}][\w&]*)*|(?:the\s+)?[{LO}]+)\s*", "", after, count=1)
                after = strip_adjuncts(after)
            if after and (len(after.split()) > 6 or re.search(r"\bthat\b", after)):
                return None
            ref = self.parse_subject(text[: vm.start()])
            return (ref, "who said it, then the quote") if ref else None
        # "Campaign director Bastien Chevrel: “…”": a named person and a colon, as live pages print them
        if before.rstrip().endswith(":"):
            intro = re.match(r"^[^,]{0,40},\s+", text)
            named = text[intro.end():] if intro else text
            ref = self.names.parse(named, quiet=True)
            if ref and ref.kind == "person" and not ref.reference and len(ref.name.split()) >= 2:
                return ref, "Name: “…”"
        return None

    # Reported speech ------------------------------------------------------------------------------
    def read_reported(self, sentence):
        body = sentence.strip()
        body = re.sub(r"[.!?]$", "", body) if not body.endswith(("”", '"')) else body
        masked = mask_quotes(body)
        found = self.read_praise(body, masked)
        if found:
            return found
        m = re.match(r"^(?:(?P<intro>[^,]{0,80}),\s+)?[Aa]ccording to\s+", masked)
        if m:
            rest = m.end()
            best = None
            for c in [c.start() for c in re.finditer(",", masked[rest:])][:4]:
                ref = self.names.parse(body[rest: rest + c], quiet=True)
                if ref:
                    best = (ref, body[rest + c + 1:].strip())
            if best and len(best[1].split()) >= STATEMENT_WORDS:
                return [(best[0], best[1], False, "according to X, …")]
        m = re.match(
            r"^(.+?)\s+(?:was|were|has been|is)\s+quoted\s+(?:by\s+[^,]+?\s+)?as\s+(?:saying|telling\s+[^,]+?)\s+"
            r"(?:that\s+)?", masked) or re.search(
            r"\bquoted\s+(?!by\b)(.+?)\s+as\s+(?:saying|telling\s+[^,]+?)\s+(?:that\s+)?", masked)
        if m:  # "DCNA quoted Ryo as saying that ...", "Ryo was quoted as saying ..."
            ref = self.parse_subject(body[m.start(1):m.end(1)])
            content = body[m.end():].strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "quoted X as saying …")]
        m = re.match(r"^(?:But\s+|And\s+)?[Aa]s\s+(.+?)\s+(?:(?:has|had|have)\s+(?:long\s+)?)?("
                     + VERB_ALTERNATION + r")(?:\s+\w+ly)?\s*,\s+", masked)
        if m and verb_class(m.group(2)) in {"say", "clause"} and m.group(2).endswith(("s", "ed", "ote", "old")):
            ref = self.names.parse(body[m.start(1):m.end(1)], quiet=True)
            content = body[m.end():].strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "as X has argued, …")]
        for vm in list(VERB_RE.finditer(masked))[:MAX_VERBS]:
            found = self.verb_frames(body, masked, vm)
            if found:
                return found
        m = re.search(r",\s+according to\s+(.+)$", masked)
        if m:
            ref = self.names.parse(body[m.start(1):], quiet=True)
            content = body[: m.start()].strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "…, according to X")]
        return []

    def read_praise(self, body, masked):
        """State media's reported praise and emphasis, with the speaker after the clause or before "the fact".

        "Stressing that agriculture is the main front, he set forth tasks ...", "Pointing out that ..., he
        called for ...", "Saying that this is a miracle ..., he praised ...": the participle's clause is what
        the subject said. "He highly appreciated the fact that the farmers had ...": the fact is.
        """
        m = EMPHASIS.match(masked)
        if m:
            ref = self.names.parse(body[m.start(2):m.end(2)], quiet=True)
            content = body[m.start(1):m.end(1)].strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                verb = masked.split()[0].lower()
                found = [(ref, content, False, f"{verb} that …, X …")]
                rest, rest_masked = body[m.start(2):], masked[m.start(2):]
                for vm in list(VERB_RE.finditer(rest_masked))[:MAX_VERBS]:
                    more = self.verb_frames(rest, rest_masked, vm)  # "..., he stressed the need to ..."
                    if more:
                        return found + more
                return found
        m = re.search(r"(?:^|,\s+)([^,]{1,80}?)\s+(?:highly\s+|warmly\s+)?(?:appreciated|praised|hailed|noted|"
                      r"welcomed|lauded|commended)\s+the fact that\s+", masked)
        if m:
            ref = self.parse_subject(body[m.start(1):m.end(1)])
            content = body[m.end():].strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "X appreciated the fact that …")]
        return []

    def verb_frames(self, body, masked, vm):
        verb = vm.group(1)
        kind = verb_class(verb)
        if kind == "tag":
            return []
        left, right = body[: vm.start()], body[vm.end():]
        left_masked = masked[: vm.start()]
        if re.match(rf"^\s+by\s+(?:the\s+)?[{UP}]", masked[vm.end():]):
            return []  # a passive participle ("the sanctions announced by Varnland"): no one speaks here
        if re.search(r"\b(?:who|which|that|whom)(?:\s+[\w’']+){0,3}\s*$", left_masked):
            return []  # the verb of a relative clause ("who has testified at the inquiry")
        with_subject = re.search(r"(?:^|,\s+)with\s+([^,]+?)\s*$", left)
        if verb.endswith("ing") and with_subject:  # "..., with fisheries minister X calling the offer “…”"
            ref = self.names.parse(with_subject.group(1), quiet=True)
            content = self.content(verb, kind, right)
            if ref and content:
                return [(ref, content, kind == "call", f"with X {verb} …")]
            return []
        # "..., saying ...", "..., telling parliament that ...": the sentence's subject speaks
        if verb in PARTICIPLES:
            if not re.search(r",\s*$", left_masked):
                return []
            ref = self.leading_subject(left)
            content = self.content(verb, kind, right)
            if ref and content:
                return [(ref, content, False, f"…, {verb} …")]
            return []
        # Subject, verb, what was said ("…, the ministry said in a statement, adding that …" is not: what was
        # said comes first and the adding clause after)
        trailing_adding = re.match(r"^[^,]*,\s*(?:adding|noting|saying|warning|stressing)\b", masked[vm.end():])
        ref = None if trailing_adding and top_level_commas(left) else self.parse_subject(left)
        if kind == "announce" and re.search(r"\b(?:after|before|since|when|until|once|because|as)\s+[^,;]{0,60}$",
                                            left_masked):
            ref = None  # "bonds fell after the government unveiled a ban": an act narrated, not a statement
        if ref is not None:
            bounded = ref.reference.startswith("whose ")
            content = self.content(verb, kind, right, bounded=bounded)
            if content:
                rule = {
                    "call": "X called it “…”", "accuse": "X accused … of …", "urge": "X urged … to …",
                    "announce": "X announced …", "express": "X expressed …", "point": "X pointed to …",
                    "respond": "X responded by …",
                }.get(kind, "speaker, then what they said")
                found = [(ref, content, kind == "call", rule)]
                if kind == "say":
                    first, _, added = content.partition(", adding that ")
                    if added and len(added.split()) >= STATEMENT_WORDS:
                        found = [(ref, first, False, rule), (ref, added, False, "…, adding that …")]
                found.extend(self.and_said(ref, kind, right))
                return found
        if kind not in {"say", "clause"} or verb in {"told", "tells", "telling"}:
            return []
        # What was said, then "X said" (and adjuncts, and "adding that …")
        after = masked[vm.end():]
        adding = re.search(r",\s*(adding|noting|saying|warning|stressing)\s+(?:that\s+)?", after)
        if adding and not re.search(r"\bthat\b", after[: adding.start()]):
            added = body[vm.end() + adding.end():].strip()
            after = after[: adding.start()]
        else:
            added = ""
        if TRAILING_ADJUNCT.match(after) and not re.search(r"\bthat\b", after):
            for c in reversed(top_level_commas(left)[-4:]):
                ref = self.names.parse(left[c + 1:], quiet=True)
                content = left[:c].strip()
                if ref and left[c + 1:].strip() == "it" and ref.kind == "institution":
                    # "The Bank of X lifted its rate …, it said in a statement": the sentence's own subject
                    own = self.leading_subject(content, whole=False)
                    ref = own if own and own.kind == "institution" else ref
                if ref and len(content.split()) >= STATEMENT_WORDS:
                    found = [(ref, content, False, "what they said, then who said it")]
                    if len(added.split()) >= STATEMENT_WORDS:
                        found.append((ref, added, False, f"…, {adding.group(1)} that …"))
                    return found
        # What was said, then "said X" (the comma may sit inside a closing quotation mark)
        if re.search(r",\s*$", left_masked) or re.search(r",[”\"]\s*$", left):
            if re.match(r"^(?:[A-Z][\w’'-]*\s+){1,6}?[^,]*,\s+who\b[^,]*(?:,[^,]*)?,\s*$", left_masked) and not (
                    self.names.parse(left_masked.split(",")[0], quiet=True)):
                return []  # "A diplomat in X, who asked not to be named, said the ...": the subject is nobody
            ref = self.subject_after_verb(right)
            content = left.rstrip().rstrip(",").strip()
            content = re.sub(r",([”\"])$", r"\1", content)
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "what they said, then who said it")]
        # "Villagers, he says, want a road crossing"
        commas = top_level_commas(left)
        if commas and re.match(r"^\s*,", masked[vm.end():]):
            c = commas[-1]
            ref = self.names.parse(left[c + 1:], quiet=True)
            content = f"{left[:c].strip()} {right.lstrip(' ,')}".strip()
            if ref and len(content.split()) >= STATEMENT_WORDS:
                return [(ref, content, False, "what they said, with who said it in between")]
        return []

    def content(self, verb, kind, right, *, bounded=False):
        """Return what a speech verb introduces, without the adjuncts and "that"; '' when it is no statement."""
        text = right.strip()
        text = re.sub(r"^,\s*(?:however|though|too|also|again|moreover|nonetheless|nevertheless|in turn|"
                      r"for (?:his|her|its|their) part)\s*,\s*(?=that\b)", "", text)  # "He conceded, however, that"
        if text.startswith(","):
            return ""
        if bounded:  # "X, whose spokesperson Y said the law would pass, did not speak": up to the comma
            commas = top_level_commas(text)
            text = text[: commas[0]] if commas else text
        if kind == "call":
            m = re.match(r"^(.{0,120}?)\s*(?:as\s+)?[“\"](.+?)[”\"]", text)
            if m and not re.search(r"[.;]", m.group(1)) and len(m.group(1).split()) <= 12:
                return m.group(2).strip().rstrip(",")
            return ""
        masked = mask_quotes(text)
        if kind == "accuse":
            return f"{verb} {text}" if re.search(r"\bof\b", masked) else ""
        if kind == "urge":
            return f"{verb} {text}" if re.search(r"\bto\b", masked) else ""
        if kind == "express":
            words = masked.lower().split()
            return f"{verb} {text}" if any(w.strip(",") in EXPRESSED_FEELINGS for w in words[:3]) else ""
        if kind == "respond":
            return f"{verb} {text}" if masked.startswith("by ") else ""
        if kind == "point":
            return f"{verb} {text}" if len(text.split()) >= STATEMENT_WORDS else ""
        that = re.search(r"\bthat\b", masked)
        if verb in {"told", "tells", "telling"}:
            if that and not told_that(masked[: that.start()]):
                that = None  # "told ARP the case fitted a pattern … that had grown": a relative "that"
            if that and len(masked[: that.start()].split()) <= 12:
                text = text[that.end():]
            else:
                listener = rf"(?:me|us|him|her|them|[{UP}][\w&’']*(?:\s+[{UP}][\w&’']*)*|(?:the\s+|a\s+)?[{LO}]+)"
                text = re.sub(rf"^{listener}\s*", "", strip_adjuncts(text), count=1)
                text = strip_adjuncts(text)
        else:
            stripped = strip_adjuncts(text)
            that = re.search(r"^that\b", mask_quotes(stripped))
            if not that:
                m = re.search(r"\bthat\b", mask_quotes(text))
                if m and adjunct_like(text[: m.start()]):
                    stripped = text[m.start():]
                    that = True
            text = re.sub(r"^that\s+", "", stripped)
            if not that and re.match(r"^(?:little|nothing|much|less|more|so|as much)\b", mask_quotes(text)):
                return ""  # "has said little in public": how much, not what
            if verb.startswith("add") and not that and not finite(text) and text[:1] not in QUOTE_OPEN:
                return ""  # "…, adding four days to each voyage": a sum, not words
            if kind == "announce" and not that:
                return f"{verb} {text}" if len(text.split()) >= STATEMENT_WORDS else ""
            if kind == "clause" and not that and not finite(text):
                return ""
        text = text.strip()
        if len(text.split()) < STATEMENT_WORDS or text[:1] in ",;":
            return ""
        return text

    def and_said(self, ref, kind, right):
        """A second verb of the same speaker after a bounded frame: "called the law “…” and said …"."""
        if kind not in {"call", "accuse"}:
            return []
        masked = mask_quotes(right)
        spans = quote_spans(right)
        start = spans[0][1] if kind == "call" and spans else 0
        m = re.search(r"\b(?:and|but)\s+(?:also\s+)?(" + VERB_ALTERNATION + r")\b", masked[start:])
        if not m:
            return []
        verb = m.group(1)
        content = self.content(verb, verb_class(verb), right[start + m.end():])
        if not content or verb_class(verb) not in {"say", "clause"}:
            return []
        return [(ref, content, False, f"… and {verb} …")]

    def parse_subject(self, left):
        """Parse the subject before a verb, past an introduction ("In a statement carried by state media, Kim")."""
        text = re.sub(r"^(?:but|and|yet|still|meanwhile|however|separately|instead|also|then|now|so|indeed|"
                      r"for (?:his|her|its|their) part)\b\s*,?\s*", "", left.strip(), flags=re.I)
        if not text:
            return None
        # "the Foreign Ministry in a statement issued on Thursday branded …": the medium is no part of the subject
        text = re.sub(r",?\s+in\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+)?(?:statement|interview|letter|speech|"
                      r"report|commentary|article|message)(?:\s+(?:issued|released|published|carried|posted)\b[^,]*)?"
                      r",?\s*$", "", text)
        if re.search(r",?\s+(?:and|but)(?:\s+(?:also|then|later))?\s*$", text):
            return self.leading_subject(re.sub(r",?\s+(?:and|but)(?:\s+(?:also|then|later))?\s*$", "", text),
                                        whole=False)
        m = re.search(r",\s+who$", text)
        if m:  # "... came from Ilse Vang, a harbour pilot, who told the inquiry": the antecedent speaks
            parts = segments(text[: m.start()])
            for k in (2, 1):
                if len(parts) < k:
                    continue
                head = re.split(r"\b(?:from|by|with|to)\s+(?=[A-Z]|(?:a|an|the)\s)", parts[-k])[-1]
                ref = self.names.parse(", ".join([head, *parts[len(parts) - k + 1:]]), quiet=True)
                if ref:
                    return ref
            return None
        m = re.search(r",\s+whose\s+([^,]+)$", text)
        if m:  # "Prime Minister X, whose spokesperson Y said ...": the relative clause's subject speaks
            ref = self.names.parse(m.group(1))
            if ref:
                ref.reference = "whose " + m.group(1) if not ref.reference else ref.reference
                ref.reference = "whose " + m.group(1)
                return ref
            return None
        ref = self.names.parse(text)
        if ref:
            return ref
        m = re.search(r"(?:^|,\s*|\s)(?:after|when|because|since|while|until|although|though|as)\s+([^,]+)$", text)
        if m and (ref := self.names.parse(m.group(1))):
            return ref  # "Shares fell 3% after Halvard Bank said ..."
        masked = mask_quotes(text)
        # Commas outside quotations, and the closing mark of a quotation that ends with one ("… farmers,” he)
        quote_commas = [end - 1 for start, end in quote_spans(text) if text[start:end].endswith((',”', ',"'))]
        commas = sorted([*top_level_commas(text), *quote_commas])
        for c in commas[:4]:
            intro, rest = masked[:c].strip(), text[c + 1:].strip()
            spans = quote_spans(rest)
            if spans and spans[0][0] == 0:
                rest = rest[spans[0][1]:].strip(" ,")
            if not (INTRO_START.match(intro) or intro.split()[0].endswith("ing") or (
                len(intro.split()) <= 4 and not finite(intro)
            )):
                continue
            ref = self.names.parse(rest)
            if ref:
                return ref
        return None

    def leading_subject(self, text, *, whole=True):
        """Return the speaker a clause opens with ("Finance Minister Piet Allenby welcomed the decision, ")."""
        text = text.strip().rstrip(",").strip()
        if whole:
            ref = self.parse_subject(text) if not VERB_RE.search(mask_quotes(text)) else None
            if ref:
                return ref
        masked = mask_quotes(text)
        parts = segments(masked)
        for count in (3, 2):
            if len(parts) > count:
                candidate = text[: top_level_commas(text)[count - 1]]
                ref = self.names.parse(candidate, quiet=True)
                if ref and parts[count].strip()[:1].islower():
                    return ref
        tokens = text.split()
        for k in range(min(len(tokens) - 1, 24), 0, -1):
            if tokens[k][:1].islower() and not is_title_word(tokens[k]) and tokens[k] not in NOT_ENDING:
                ref = self.names.parse(" ".join(tokens[:k]), quiet=True)
                if ref:
                    return ref
        return None

    # Routing --------------------------------------------------------------------------------------
    def finish(self):
        """Decide for each speaker whether it becomes expert commentary or a cited source."""
        for spk in self.speakers.values():
            for printed in (self.names.known, self.names.mentioned):
                for key, value in printed.get(spk.name, {}).items():
                    if not getattr(spk, key):
                        setattr(spk, key, value)
            spk.carried_by = self.carried_by.get(spk.name, "")
            spk.affiliation_kind = org_kind(spk.affiliation) if spk.affiliation else ""
            if spk.kind == "institution":
                route_institution(spk)
                continue
            spk.role = person_role(spk)
            if spk.role != "official":
                spk.target = "commentary"
                continue
            spk.target = "citation"
            if spk.carried_by:
                spk.source_name = f"{spk.name} statement carried by {spk.carried_by}"
                media = STATE_MEDIA_RE.match(spk.carried_by) or spk.carried_by.lower() in KNOWN_STATE_MEDIA
                spk.source_kind = "state_media" if media else "statement"
            elif spk.affiliation:
                # Officials of one institution are cited under one source: the institution.
                institution = self.speakers.get(spk.affiliation)
                spk.source_name = spk.affiliation
                spk.source_kind = institution.source_kind if institution else "statement"
                spk.source_description = f"{spk.title} {spk.name}".strip()
            else:
                described = f"{spk.title} {spk.name}".strip()
                spk.source_name = described[:1].upper() + described[1:]
                spk.source_kind = "official"


# A company's officers are printed without the company when the story is about it ("Chief Executive X said").
CORPORATE_OFFICER = re.compile(
    r"^(?:chief (?:executive|financial|operating|technology|commercial|investment)(?: officer)?|ceo|cfo|coo|"
    r"managing director)$",
    re.I,
)


def is_unclosed(paragraph):
    """True when a paragraph opens a quotation and does not close it (it runs on into the next paragraph)."""
    spans = quote_spans(paragraph)
    text = paragraph.rstrip()
    return len(spans) == 1 and spans[0] == (len(paragraph) - len(paragraph.lstrip()), len(paragraph)) and (
        text[-1:] not in "”\"")


def is_quote_end(sentence):
    """True when a sentence ends inside or at the close of a quotation (it may run on in the next paragraph)."""
    spans = quote_spans(sentence)
    return bool(spans) and not sentence[spans[-1][1]:].strip(" .")


def route_institution(spk):
    spk.role, spk.target = "institution", "citation"
    state_media = spk.name == "state media" or spk.name in KNOWN_STATE_MEDIA.values()
    spk.source_name = spk.name if spk.name != "state media" else "State media"
    spk.source_kind = "state_media" if state_media else "statement"
    spk.affiliation_kind = "state_media" if state_media else org_kind(spk.name)


def person_role(spk):
    """Return analyst, official or unknown for a person, from the title, affiliation and rank printed."""
    title = spk.title.lower()
    head = title_head(title)
    if re.match(r"^(?:former|retired|ex-)", title):
        return "analyst"  # a former official speaks for no institution
    if spk.affiliation_kind in {"university", "think_tank"}:
        return "analyst"
    if re.search(r"\b(?:research|analysis|strategy|economics|equities|equity|markets|investments?|portfolio|"
                 r"fixed income|commodities)\b", title) and spk.affiliation_kind != "government":
        return "analyst"  # "head of research at the Ardensk Grain Exchange"
    if head and (head in ANALYST_TITLES or head not in OFFICIAL_TITLES and is_title_word(head) and (
        head.endswith(("ist", "ician", "grapher"))
    )):
        return "official" if spk.affiliation_kind == "government" else "analyst"
    if spk.carried_by or head in OFFICIAL_TITLES or spk.affiliation_kind == "government":
        return "official"
    if spk.rank and spk.rank != "academic":
        return "official"
    if spk.rank == "academic":
        return "analyst"
    described = [w[:-1] if w.endswith("s") and w[:-1] in TITLE_WORDS else w
                 for w in re.findall(r"[a-z][a-z\-]*", spk.description.lower())]
    offices = [w for w in described if w in TITLE_WORDS]
    if not head and offices and offices[-1] in OFFICIAL_TITLES - {"head", "chief"}:
        return "official"  # "the relief agency's coordinator at X", "one of the bank's two deputy governors"
    return "unknown"
