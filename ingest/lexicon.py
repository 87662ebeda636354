"""The words the extractor knows: speech verbs, job titles, honorifics, organizations, places.

Every list is plain data an editor can read and extend; the grammar in ``attribution`` uses them.
"""
import re

SPEECH_VERBS = (
    "said", "says", "told", "tells", "added", "adds", "noted", "notes", "stated", "states", "argued", "argues",
    "warned", "warns", "explained", "explains", "claimed", "claims", "insisted", "insists", "acknowledged",
    "acknowledges", "accused", "accuses", "stressed", "stresses", "emphasized", "emphasised", "emphasizes",
    "wrote", "writes", "asked", "replied", "responded", "responds", "suggested", "suggests", "pointed out",
    "points out", "pointed to", "points to", "cautioned", "contended", "observed", "predicted", "predicts",
    "conceded", "countered", "maintained", "announced", "declared", "denied", "confirmed", "reiterated",
    "remarked", "estimated", "urged", "believes", "expects", "recalled", "described",
)
VERB_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(v) for v in SPEECH_VERBS), key=len, reverse=True)) + r")\b")

ANALYST_TITLES = {
    "professor", "fellow", "researcher", "analyst", "scholar", "lecturer", "expert", "economist", "director",
    "head", "dean", "chair", "founder", "historian", "strategist", "associate", "specialist", "scientist",
}
OFFICIAL_TITLES = {
    "spokesperson", "spokesman", "spokeswoman", "minister", "official", "ambassador", "envoy", "lawmaker",
    "senator", "general", "commander", "secretary", "governor", "mayor", "leader", "negotiator", "diplomat",
    "president", "chairman", "chairwoman", "deputy", "commissioner", "officer", "representative", "premier",
    "adviser", "advisor", "aide", "vice", "marshal", "admiral", "colonel", "lieutenant", "prosecutor",
}
TITLE_WORDS = ANALYST_TITLES | OFFICIAL_TITLES | {
    "editor", "correspondent", "chief", "executive", "manager", "member", "engineer",
}

ORG_HEADS = {
    "university": "university", "college": "university", "school": "university",
    "institute": "think_tank", "institution": "think_tank", "center": "think_tank", "centre": "think_tank",
    "foundation": "think_tank", "academy": "think_tank", "forum": "think_tank", "initiative": "think_tank",
    "society": "think_tank", "program": "think_tank", "programme": "think_tank",
    "ministry": "government", "government": "government", "office": "government", "department": "government",
    "command": "government", "commission": "government", "bureau": "government", "house": "government",
    "staff": "government", "assembly": "government", "embassy": "government", "administration": "government",
    "parliament": "government", "congress": "government", "senate": "government", "cabinet": "government",
    "secretariat": "government", "court": "government", "council": "government", "party": "government",
    "service": "government", "agency": "government", "committee": "government", "navy": "government",
    "army": "government", "force": "government", "guard": "government",
    "association": "ngo", "union": "ngo", "organization": "ngo", "organisation": "ngo", "coalition": "ngo",
    "network": "news_agency", "times": "news_agency", "post": "news_agency", "daily": "news_agency",
    "broadcaster": "news_agency", "tv": "news_agency", "news": "news_agency",
    "authority": "government", "bank": "other", "fund": "other", "corporation": "other", "group": "other",
}
STATE_MEDIA_RE = re.compile(
    r"^(?:(?:north korean|north korea[’']s|chinese|russian|official)\s+)?"
    r"state(?:-run|-controlled)?\s+(?:media|news agency|television|tv|radio|broadcaster|outlets?)$",
    re.I,
)
KNOWN_STATE_MEDIA = {"kcna": "KCNA", "korean central news agency": "Korean Central News Agency", "kctv": "KCTV",
                     "rodong sinmun": "Rodong Sinmun", "xinhua": "Xinhua", "tass": "TASS"}

DEMONYMS = {
    "south korean": "South Korea", "north korean": "North Korea", "u.s.": "United States",
    "american": "United States", "japanese": "Japan", "chinese": "China", "russian": "Russia",
    "ukrainian": "Ukraine", "british": "United Kingdom", "french": "France", "german": "Germany",
}
PLACE_POSSESSIVES = {
    "south korea": "South Korea", "north korea": "North Korea", "seoul": "South Korea",
    "pyongyang": "North Korea", "washington": "United States", "japan": "Japan", "tokyo": "Japan",
    "china": "China", "beijing": "China", "russia": "Russia", "moscow": "Russia",
}

# Capitalized words that are not part of a person's name.
NOT_NAME = {
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "still", "despite", "according", "after",
    "before", "while", "when", "as", "if", "with", "without", "by", "from", "to", "this", "that", "these",
    "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "some", "many",
    "most", "experts", "analysts", "officials", "observers", "critics", "diplomats", "sources", "residents",
    "north", "south", "east", "west", "korea", "korean", "koreans", "united", "states", "nations", "state",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "english", "japanese", "chinese", "russian", "american", "british", "french", "german", "ukrainian",
    "seoul", "pyongyang", "washington", "tokyo", "beijing", "moscow", "russia", "china", "japan", "ukraine",
    "plan", "workers", "workers’", "workers'", "meanwhile", "however", "also", "earlier", "later", "yet",
    "president", "minister", "professor", "spokesperson", "spokesman", "spokeswoman", "leader", "general",
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gen", "mr.", "mrs.", "ms.", "dr.", "prof.",
} | set(ORG_HEADS)
GENERIC_SUBJECTS = re.compile(
    r"^(?:some|many|most|several|other|few|the)?\s*(?:experts?|analysts?|officials?|observers?|critics?|"
    r"diplomats?|sources?|residents?|people|scholars?|researchers?|others|some|many|officials said)$",
    re.I,
)
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sen", "rep", "st", "jr", "sr", "no",
                 "u.s", "u.n", "u.k", "e.u", "inc", "co", "corp", "ltd", "vs", "a.m", "p.m", "gov", "sgt", "capt"}
HONORIFICS = re.compile(r"^(?:Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Professor|Minister|President|Ambassador)\s+")

NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z]+(?:[-’'][A-Za-z][a-z]*)*|[A-Z]\.|Mc[A-Z][a-z]+|O[’'][A-Z][a-z]+)$")
NAME_PARTICLES = {"van", "von", "de", "da", "del", "der", "bin", "al", "le", "la", "di"}
CONNECTORS = {"of", "for", "and", "on", "the", "&", "de", "in", "des", "du"}
QUOTE_OPEN = "“\""
DASHES = "—–"

WEEKDAY_RE = re.compile(
    r",?\s+(?:on|late on|early on|last)?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)

HONORIFIC_WORDS = {"mr", "mrs", "ms", "dr", "prof", "professor", "capt", "col", "gen", "lt", "sgt", "adm"}


def is_title_word(word):
    return word.lower() in TITLE_WORDS
