"""The words the extractor knows: speech verbs and frames, job titles, honorifics, organizations, places.

Every list is plain data an editor can read and extend; the grammar in ``speakers`` and
``attribution`` only looks words up here. Nothing is specific to one story: a word belongs here
when it would mean the same in any wire copy.
"""
import re

# Capital and small letters, accented ones included ("Ørsted", "Ilić", "Émile"), for the patterns below.
UP = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper())
LO = "a-z" + "".join(ch for ch in map(chr, range(0xDF, 0x250)) if ch.islower())

# --- Speech verbs ------------------------------------------------------------------------------
# Each line: present, past, participle. The classes decide which frames a verb may open.

# Verbs that report speech and take what was said as a clause, with or without "that".
SAY = """
says said saying | tells told telling | adds added adding | notes noted noting | argues argued arguing
warns warned warning | explains explained explaining | insists insisted insisting
contends contended contending | writes wrote writing | suggests suggested suggesting
maintains maintained maintaining | cautions cautioned cautioning | observes observed observing
asserts asserted asserting | points out pointed out pointing out | stresses stressed stressing
emphasizes emphasized emphasizing | emphasises emphasised emphasising | believes believed believing
states stated stating | declares declared declaring | reiterates reiterated reiterating
"""
# Verbs that may report speech but also take a plain object ("denied any involvement",
# "acknowledged the problem"): a statement only with a clause ("that ...", or one with a verb).
CLAUSE = """
acknowledges acknowledged acknowledging | claims claimed claiming | denies denied denying
confirms confirmed confirming | announces announced announcing | predicts predicted predicting
estimates estimated estimating | forecasts forecast forecasting | recalls recalled recalling
concedes conceded conceding | admits admitted admitting | reveals revealed revealing
discloses disclosed disclosing | reports reported reporting | promises promised promising
pledges pledged pledging | vows vowed vowing | proposes proposed proposing | agrees agreed agreeing
complains complained complaining | concludes concluded concluding | counters countered countering
responds responded responding | replies replied replying | affirms affirmed affirming
alleges alleged alleging | underlines underlined underlining | underscores underscored underscoring
remarks remarked remarking | testifies testified testifying | assesses assessed assessing
"""
# Verbs that only attribute a quotation next to them ("“...,” he asked").
TAG_ONLY = """
asks asked asking | continues continued continuing | quips quipped quipping | jokes joked joking
"""
# Frames whose object carries the message.
CALL = (
    "calls called calling describes described describing dubs dubbed dubbing brands branded branding "
    "labels labelled labeled labelling terms termed"
)
ACCUSE = "accuses accused accusing"
URGE = "urges urged urging"
ANNOUNCE = "announces announced announcing unveils unveiled unveiling"
EXPRESS = "expresses expressed expressing"
RESPOND_BY = "responded responds responding"
POINT_TO = "points to pointed to pointing to"


def _verb_forms(table):
    """Return each verb form of a table; "points out" stays one form."""
    forms = []
    for entry in table.replace("\n", " | ").split("|"):
        words = entry.split()
        i = 0
        while i < len(words):
            if i + 1 < len(words) and words[i + 1] in {"out", "to"}:
                forms.append(f"{words[i]} {words[i + 1]}")
                i += 2
            else:
                forms.append(words[i])
                i += 1
    return [f for f in forms if f]


SAY_VERBS = set(_verb_forms(SAY))
CLAUSE_VERBS = set(_verb_forms(CLAUSE))
TAG_ONLY_VERBS = set(_verb_forms(TAG_ONLY))
CALL_VERBS = set(CALL.split())
ACCUSE_VERBS = set(ACCUSE.split())
URGE_VERBS = set(URGE.split())
ANNOUNCE_VERBS = set(ANNOUNCE.split())
EXPRESS_VERBS = set(EXPRESS.split())
POINT_TO_VERBS = set(_verb_forms(POINT_TO))
PARTICIPLES = {v for v in SAY_VERBS | CLAUSE_VERBS if v.endswith("ing") or v.endswith("ing out")}
FRAME_VERBS = CALL_VERBS | ACCUSE_VERBS | URGE_VERBS | ANNOUNCE_VERBS | EXPRESS_VERBS | POINT_TO_VERBS
ALL_VERBS = SAY_VERBS | CLAUSE_VERBS | TAG_ONLY_VERBS | FRAME_VERBS


def _alternation(words):
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


VERB_ALTERNATION = _alternation(ALL_VERBS)
VERB_RE = re.compile(r"(?<![\w’'-])(" + VERB_ALTERNATION + r")(?![\w’'-])")
"""Any speech verb or frame verb, lowercase, as a whole word."""

EXPRESSED_FEELINGS = (
    "satisfaction", "dissatisfaction", "concern", "regret", "hope", "confidence", "support", "gratitude",
    "displeasure", "frustration", "optimism", "doubt", "doubts", "disappointment", "alarm", "anger", "surprise",
)
# Words that make a clause finite: with one of them after a verb, "said X would ..." reports speech.
AUXILIARIES = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could", "should", "may",
    "might", "must", "can", "cannot", "did", "does", "do", "shall", "won’t", "won't", "isn’t", "isn't", "wasn’t",
    "wasn't", "aren’t", "aren't", "weren’t", "weren't", "hasn’t", "hasn't", "hadn’t", "hadn't", "didn’t",
    "didn't", "doesn’t", "doesn't", "remains", "remained",
}

# --- Titles, honorifics and ranks --------------------------------------------------------------

# Job titles of outside experts: a speaker with one of these (and no government affiliation) is
# expert commentary. Professions ending in -ist, -ologist, -ician, -grapher also count (see is_title_word).
ANALYST_TITLES = {
    "professor", "fellow", "researcher", "analyst", "scholar", "lecturer", "expert", "economist", "scientist",
    "historian", "strategist", "specialist", "academic", "associate", "dean", "consultant", "commentator",
}
# Offices: a speaker holding one of these speaks for an institution and becomes a citation.
OFFICIAL_TITLES = {
    "spokesperson", "spokesman", "spokeswoman", "minister", "official", "ambassador", "envoy", "lawmaker",
    "legislator", "senator", "general", "commander", "secretary", "secretary-general", "governor", "mayor",
    "leader", "negotiator", "diplomat", "president", "chairman", "chairwoman", "chair", "chairperson", "deputy",
    "commissioner", "officer", "representative", "premier", "chancellor", "adviser", "advisor", "aide",
    "marshal", "admiral", "colonel", "captain", "lieutenant", "prosecutor", "judge", "justice",
    "attorney", "sheriff", "councillor", "councilor", "mp", "congressman", "congresswoman", "speaker",
    "vice-minister", "vice-president", "undersecretary", "under-secretary", "director-general", "head",
    "executive", "ceo", "cfo", "director", "surveyor", "inspector", "superintendent", "chief", "coordinator",
    "administrator", "regulator", "delegate", "consul", "attaché", "attache", "king", "queen", "prince",
    "princess", "emir", "sheikh", "chief executive", "chief executive officer", "chief financial officer",
    "chief operating officer", "managing director", "press officer", "press secretary", "treasurer", "comptroller",
    "ombudsman", "commandant", "magistrate", "harbourmaster", "harbormaster",
}
# Titles that are neither: they describe a job, and routing falls back to the affiliation.
OTHER_TITLES = {
    "editor", "correspondent", "manager", "member", "engineer", "planner", "founder", "partner", "investor",
    "trader", "lawyer", "doctor", "physician", "nurse", "teacher", "pilot", "operator", "owner", "host",
    "presenter", "producer", "architect",
    # occupations printed before a name ("Fisherman Marek Dunsel"): members of the public
    "fisherman", "fisherwoman", "fisher", "farmer", "herder", "ferryman", "boatman", "shepherd", "miner",
    "dockworker", "docker", "shopkeeper", "baker", "butcher", "carpenter", "electrician", "welder", "mechanic",
    "vendor", "labourer", "laborer", "beekeeper", "winemaker", "midwife", "fishmonger", "retiree", "pensioner",
}
TITLE_WORDS = ANALYST_TITLES | OFFICIAL_TITLES | OTHER_TITLES
TITLE_MODIFIERS = {"vice", "deputy", "acting", "interim", "assistant", "associate", "senior", "junior", "chief",
                   "former", "retired", "ex", "co", "first", "principal", "lead", "executive", "general"}
TITLE_SUFFIXES = {"designate", "elect", "nominee", "in-waiting"}
PROFESSION_SUFFIX = re.compile(r"(?:ologist|ist|ician|grapher|nomer|ographer)$")

# Honorifics and ranks before a name. They are never part of the name and are not the title either:
# "Capt. Maren Ashgrove, chair of ..." is titled "chair"; a rank alone ("Vice Marshal X") is the title.
HONORIFICS = {
    "mr": "", "mrs": "", "ms": "", "miss": "", "mx": "", "dr": "", "prof": "", "professor": "", "sir": "",
    "dame": "", "rev": "", "reverend": "", "fr": "", "hon": "", "comrade": "", "respected": "", "esteemed": "",
    "capt": "captain", "captain": "captain", "cmdr": "commander", "cdr": "commander", "lt": "lieutenant",
    "lieutenant": "lieutenant", "col": "colonel", "colonel": "colonel", "gen": "general", "general": "general",
    "maj": "major", "major": "major", "sgt": "sergeant", "sergeant": "sergeant", "adm": "admiral",
    "admiral": "admiral", "rear": "rear", "vice": "vice", "brig": "brigadier", "brigadier": "brigadier",
    "cpl": "corporal", "pvt": "private", "marshal": "marshal", "commodore": "commodore", "insp": "inspector",
    "supt": "superintendent", "gov": "governor", "sen": "senator", "rep": "representative",
}
RANKS = {key for key, value in HONORIFICS.items() if value}
HONORIFIC_WORDS = set(HONORIFICS)
ACADEMIC_HONORIFICS = {"dr", "prof", "professor"}

# --- Organizations -----------------------------------------------------------------------------

# Nouns that head the name of a public body or other institution, with the kind of organization.
ORG_HEADS = {
    "university": "university", "college": "university", "polytechnic": "university", "school": "university",
    "institute": "think_tank", "institution": "think_tank", "center": "think_tank", "centre": "think_tank",
    "foundation": "think_tank", "academy": "think_tank", "forum": "think_tank", "initiative": "think_tank",
    "society": "think_tank", "program": "think_tank", "programme": "think_tank", "observatory": "think_tank",
    "laboratory": "think_tank", "council": "government",
    "ministry": "government", "government": "government", "office": "government", "department": "government",
    "command": "government", "commission": "government", "bureau": "government", "house": "government",
    "staff": "government", "assembly": "government", "embassy": "government", "administration": "government",
    "parliament": "government", "congress": "government", "senate": "government", "cabinet": "government",
    "secretariat": "government", "court": "government", "party": "government", "tribunal": "government",
    "service": "government", "agency": "government", "committee": "government", "navy": "government",
    "army": "government", "force": "government", "forces": "government", "guard": "government",
    "police": "government", "military": "government", "directorate": "government", "authority": "government",
    "delegation": "government", "mission": "government", "consulate": "government", "treasury": "government",
    "presidency": "government", "chiefs": "government", "station": "government", "inquiry": "government",
    "board": "government", "regulator": "government", "municipality": "government", "district": "government",
    "association": "ngo", "union": "ngo", "organization": "ngo", "organisation": "ngo", "coalition": "ngo",
    "federation": "ngo", "confederation": "ngo", "cooperative": "ngo", "co-operative": "ngo", "league": "ngo",
    "alliance": "ngo", "chamber": "ngo", "network": "ngo", "movement": "ngo",
    "compact": "government", "bank": "other", "fund": "other",
}
# Words that end the name of a company, outlet or market institution ("Halvmark Energy", "Kettleby
# Research"). Only a capitalized name ending in one is an organization; the words alone are not.
COMPANY_HEADS = {
    "energy": "other", "shipping": "other", "grid": "other", "line": "other", "lines": "other",
    "capital": "other", "research": "other", "securities": "other", "markets": "other", "management": "other",
    "partners": "other", "holdings": "other", "group": "other", "airlines": "other", "airways": "other",
    "motors": "other", "industries": "other", "power": "other", "petroleum": "other", "oil": "other",
    "gas": "other", "steel": "other", "mining": "other", "electric": "other", "telecom": "other",
    "systems": "other", "technologies": "other", "insurance": "other", "investments": "other",
    "advisors": "other", "advisers": "other", "consulting": "other", "logistics": "other", "foods": "other",
    "pharmaceuticals": "other", "corporation": "other", "company": "other", "inc": "other", "ltd": "other",
    "plc": "other", "llc": "other", "corp": "other", "co": "other", "&": "other", "media": "news_agency",
    "television": "news_agency", "radio": "news_agency", "press": "news_agency", "wire": "news_agency",
    "news": "news_agency", "times": "news_agency", "post": "news_agency", "daily": "news_agency",
    "herald": "news_agency", "gazette": "news_agency", "journal": "news_agency", "tribune": "news_agency",
    "broadcaster": "news_agency", "tv": "news_agency", "review": "news_agency", "sinmun": "news_agency",
}
# Common nouns for a public body that may speak without an antecedent ("the coast guard said").
PUBLIC_BODIES = {
    "coast guard", "army", "navy", "air force", "police", "military", "government", "ministry",
    "foreign ministry", "defence ministry", "defense ministry", "central bank", "fire service", "cabinet",
    "presidency", "prime minister’s office", "prime minister's office", "interior ministry", "finance ministry",
    "health ministry", "border guard", "border police", "election commission", "electoral commission",
}
# Common nouns for the companies and bodies a story is about ("the company said").
COMPANY_NOUNS = {"company", "firm", "group", "operator", "carrier", "lender", "insurer", "bank", "producer"}
DOCUMENTS = {"statement", "press statement", "written statement", "report", "communique", "communiqué",
             "press release", "release", "note", "dispatch", "joint statement", "notice", "decree", "directive",
             "resolution", "order"}
SPOKESPEOPLE = {"spokesperson", "spokesman", "spokeswoman", "press officer", "press office", "press secretary"}

STATE_MEDIA_RE = re.compile(
    r"^(?:(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|north korea[’']s|official)\s+)?"
    r"state(?:-run|-controlled)?\s+(?:media|news agency|television|tv|radio|broadcaster|outlets?)$",
    re.I,
)
KNOWN_STATE_MEDIA = {"kcna": "KCNA", "korean central news agency": "Korean Central News Agency", "kctv": "KCTV",
                     "rodong sinmun": "Rodong Sinmun", "xinhua": "Xinhua", "tass": "TASS"}

# --- Places ------------------------------------------------------------------------------------

DEMONYMS = {
    "south korean": "South Korea", "north korean": "North Korea", "u.s.": "United States",
    "american": "United States", "japanese": "Japan", "chinese": "China", "russian": "Russia",
    "ukrainian": "Ukraine", "british": "United Kingdom", "french": "France", "german": "Germany",
}
DEMONYM_SUFFIX = re.compile(rf"^[{UP}][{LO}]+(?:an|ian|ese|ic|ish|i)$")
PLACE_POSSESSIVES = {
    "south korea": "South Korea", "north korea": "North Korea", "seoul": "South Korea",
    "pyongyang": "North Korea", "washington": "United States", "japan": "Japan", "tokyo": "Japan",
    "china": "China", "beijing": "China", "russia": "Russia", "moscow": "Russia",
}
# Ministerial portfolios: in "Minister of Maritime Affairs Elspeth Harrowmere" they belong to the title.
PORTFOLIOS = {
    "affairs", "health", "finance", "defence", "defense", "foreign", "interior", "justice", "trade", "commerce",
    "industry", "maritime", "fisheries", "energy", "education", "transport", "agriculture", "environment",
    "security", "labour", "labor", "culture", "economy", "unification", "treasury", "home", "state", "water",
    "development", "communications", "information", "tourism", "housing", "welfare", "planning", "science",
}

# --- Words that are not names ------------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
          "Dec")
NOT_NAME = {
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "still", "despite", "according", "after",
    "before", "while", "when", "as", "if", "with", "without", "by", "from", "to", "this", "that", "these",
    "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "some",
    "many", "most", "experts", "analysts", "officials", "observers", "critics", "diplomats", "sources",
    "residents", "north", "south", "east", "west", "korea", "korean", "koreans", "united", "states", "nations",
    "state", "english", "meanwhile", "however", "also", "earlier", "later", "yet", "not", "no", "nobody",
    "everyone", "everybody", "here", "there", "what", "who", "why", "how", "where", "asked", "speaking",
    "looking", "noting", "live", "update", "updates", "gmt", "utc", "am", "pm", "today", "yesterday",
    "tonight", "tomorrow", "plan", "workers", "workers’", "workers'", "your", "one", "two",
} | {w.lower() for w in WEEKDAYS + MONTHS}
GENERIC_SUBJECT = re.compile(
    r"^(?:some|many|most|several|other|few|both|all|two|three|four|the|a|an|\d+)?\s*(?:of\s+the\s+)?"
    r"(?:[a-z]+\s+)?(?:experts?|analysts?|officials?|observers?|critics?|diplomats?|sources?|residents?|people|"
    r"scholars?|researchers?|others|economists|strategists|villagers|witnesses|protesters|activists|"
    r"campaigners|supporters|opponents|relatives|families|investors|traders|authorities|insiders|aides|"
    r"lawmakers|delegates|leaders|ministers|governments|rescuers|firefighters|doctors|nurses|teachers|farmers|"
    r"workers|students|parents|voters|shoppers|passengers|fishermen|drivers|locals|neighbours|neighbors)\b",
    re.I,
)
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sen", "rep", "st", "jr", "sr", "no",
                 "u.s", "u.n", "u.k", "e.u", "inc", "co", "corp", "ltd", "vs", "a.m", "p.m", "gov", "sgt", "capt",
                 "cmdr", "adm", "maj", "brig", "cdr", "fr", "rev", "hon", "insp", "supt", "sept", "jan", "feb",
                 "aug", "oct", "nov", "dec", "mt", "ft"}

NAME_TOKEN = re.compile(
    rf"^(?:(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du)?[{UP}][{LO}]+(?:[-’'–][{UP}{LO}][{LO}]*)*|[{UP}]\.|O[’'][{UP}][{LO}]+)$"
)
NAME_PARTICLES = {"van", "von", "de", "da", "del", "der", "bin", "al", "le", "la", "di", "du", "ter", "ten"}
CONNECTORS = {"of", "for", "and", "on", "the", "&", "de", "des", "du", "to"}
QUOTE_OPEN = "“\""
DASHES = "—–"

WEEKDAY_RE = re.compile(
    r",?\s+(?:on|late on|early on|last)?\s*(?:" + "|".join(WEEKDAYS) + r")"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)


def is_title_word(word):
    """True when word names a job or office: a listed title, or a profession such as "glaciologist"."""
    word = word.lower().strip(",.;:")
    if word in TITLE_WORDS:
        return True
    if "-" in word and all(part in TITLE_WORDS | TITLE_MODIFIERS for part in word.split("-")):
        return True  # "secretary-general", "vice-minister"
    if "-" in word and word.rsplit("-", 1)[1] in TITLE_SUFFIXES and is_title_word(word.rsplit("-", 1)[0]):
        return True  # "minister-designate", "president-elect"
    return bool(PROFESSION_SUFFIX.search(word)) and len(word) > 5 and word.isalpha()


def title_head(title):
    """Return the last word of title that is a job title ("chief economist" -> "economist"), or ''."""
    words = re.findall(r"[a-z][a-z\-]*", title.lower())
    for i in range(len(words) - 1, -1, -1):
        if i > 0 and f"{words[i - 1]} {words[i]}" in TITLE_WORDS:
            return f"{words[i - 1]} {words[i]}"
        if is_title_word(words[i]):
            base, _, suffix = words[i].rpartition("-")
            return title_head(base) if suffix in TITLE_SUFFIXES else words[i]  # "minister-designate": a minister
    return ""


def org_kind(phrase):
    """Return the kind of organization phrase names, from the noun that heads it, or ''."""
    words = re.findall(r"[^\W\d_]+|&", phrase)
    lowered = [w.lower() for w in words]
    if "of" in lowered[1:]:  # "Ministry of Foreign Affairs", "Bank of Sylvania": the head comes first
        head = lowered[: lowered.index("of", 1)]
        for word in reversed(head):
            if word in ORG_HEADS:
                return ORG_HEADS[word]
    for word, original in zip(reversed(lowered), reversed(words), strict=True):
        if word in ORG_HEADS:
            return ORG_HEADS[word]
        if word in COMPANY_HEADS and (original[:1].isupper() or original == "&"):
            return COMPANY_HEADS[word]
    return ""


def is_demonym(word):
    """True when word is a nationality adjective ("Ostrellan", "Vaulmontese", "North Korean")."""
    return word.lower() in DEMONYMS or bool(DEMONYM_SUFFIX.match(word))
