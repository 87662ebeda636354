"""Read who a phrase names: a person with their title, honorific and affiliation, an institution, a pronoun.

The grammar of a speaker, as wire copy prints one:

    speaker     := pronoun | document | spokesperson-for ORG | team led by NAME
                 | [descriptor ","] core ["," appositive]* ["," relative clause]
    core        := [determiner | possessive] [demonym] [ORG words] [title words] [honorifics] NAME
                 | core (of | at | from) ORG
                 | institution
    appositive  := [a | an | the] title [(at | of | for) ORG] [in PLACE] | of ORG | description

A person's name is the run of capitalized words at the end of the core that are not titles,
honorifics, ranks, portfolios or organization words; everything before it is the title as printed.
Short references ("Quirt", "Dr. Pellinore", "the ministry", "Halvmark", "the JCS", "she", "it",
"the spokesman", "the report") are resolved against what the story has named so far.
"""
import re
from dataclasses import dataclass, replace

from .lexicon import (
    ACADEMIC_HONORIFICS,
    AUXILIARIES,
    COMPANY_NOUNS,
    CONNECTORS,
    DEMONYMS,
    DOCUMENTS,
    GENERIC_SUBJECT,
    HONORIFICS,
    KNOWN_STATE_MEDIA,
    LO,
    NAME_PARTICLES,
    NAME_TOKEN,
    NOT_NAME,
    ORG_HEADS,
    PLACE_POSSESSIVES,
    PORTFOLIOS,
    PUBLIC_BODIES,
    SPOKESPEOPLE,
    STATE_MEDIA_RE,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    UP,
    WEEKDAY_RE,
    is_demonym,
    is_title_word,
    org_kind,
    title_head,
)
from .sentences import mask_quotes

ORG_CONNECTORS = {"of", "for", "and", "the", "&"}
# The last word of a place's name, which the grammar of a name alone would read as a surname ("Skerra Point")
PLACE_WORDS = {"point", "island", "islands", "bay", "head", "harbour", "harbor", "street", "road", "square", "bridge",
               "cape", "port", "sound", "strait", "valley", "river", "lake", "mountain", "mountains", "hill", "hills",
               "fjord", "reef", "coast", "peninsula", "gate", "park", "station", "airport", "avenue", "rock", "rocks",
               "pier", "quay", "beach", "marsh", "creek", "forest", "flats", "lane"}
# Nouns that say the name printed next to them is a company's: after the name's article and comma, or before it
COMPANY_APPOSITIVE = r"(?:company|firm|operator|carrier|airline|lender|insurer|producer|miner|shipbuilder|utility)"
COMPANY_BEFORE_NAME = r"(?:carrier|airline|lender|insurer|miner|shipbuilder|utility|manufacturer|retailer|exporter)"
PERSONAL_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"}
RELATIONS = {"colleague", "friend", "wife", "husband", "son", "daughter", "mother", "father", "brother", "sister",
             "neighbour", "neighbor", "partner", "cousin", "uncle", "aunt", "widow", "widower", "boss"}
PREPOSITIONS = {"in", "of", "at", "for", "to", "by", "with", "from", "on", "about", "as", "into", "over"}
POSSESSIVE = re.compile(r"^(.+?)(?:[’']s|s[’'])$")
ARTICLES = {"the", "a", "an"}
POSSESSIVE_PRONOUNS = {"its": "institution", "her": "person", "his": "person", "their": "any", "my": "person",
                       "our": "any"}
PRONOUNS = {"he": "person", "she": "person", "it": "institution"}
# A comma segment that starts with one of these is an adjunct or a relative clause, not part of the name.
DROPPED_SEGMENT = re.compile(
    r"^(?:who|which|whose|that|based|in|on|at|during|after|before|with|through|via|according|speaking|"
    r"citing|writing|quoted|himself|herself|itself|also|too|however|meanwhile|then)\b",
    re.I,
)
TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|earlier|again|separately|previously|repeatedly|recently|once|then|too|himself|herself|"
    r"itself|themselves|has|have|had|has also|had also|today|yesterday|tonight|last week|last month|this week|"
    r"in turn|meanwhile|however|for (?:his|her|its|their) part))+$",
    re.I,
)
# Words that open a clause inside a sentence: never part of an institution's name
CLAUSE_OPENERS = {"since", "after", "before", "because", "although", "though", "while", "when", "unless", "until"}
IN_PLACE = re.compile(rf"\s+in\s+(?:the\s+)?[{UP}][\w’'\-]*(?:\s+[{UP}][\w’'\-]*){{0,2}}$")
PREPOSITION_SPLIT = re.compile(r"\s+(at|of|for|with|from|in)\s+(?:the\s+)?")
# "Analysts including X", "Strategists at Ironbridge Markets, including X": one named member of a group
INCLUDING = re.compile(
    r"^(?:[A-Z]?[a-z\-]+\s+)?(?P<head>analysts|economists|strategists|experts|researchers|scholars|"
    r"observers|academics|specialists|historians|scientists|officials|diplomats|lawmakers)"
    r"(?:\s+(?:at|from|with|of)\s+(?:the\s+)?(?P<org>[A-Z][^,]*?))?,?\s+including\s+(?P<rest>[^,]+?)\s*,?$",
    re.I,
)


@dataclass
class Ref:
    """Who a phrase names, with what the copy printed about them there."""

    name: str
    kind: str  # person | institution
    title: str = ""
    affiliation: str = ""
    country: str = ""
    description: str = ""
    rank: str = ""  # honorific or rank printed before the name ("Capt."), never part of the name or title
    reference: str = ""  # how the copy named the speaker, when not by the full name
    spokesperson: bool = False  # an unnamed spokesperson, speaking for the institution

    def details(self):
        return {key: getattr(self, key) for key in ("title", "affiliation", "country", "description")
                if getattr(self, key)}


def clean(phrase):
    """Strip the punctuation and parenthetical acronyms around a phrase, keeping "U.S." and "Dr."."""
    phrase = re.sub(r"\s*\((?:[A-Z]{2,8}|[A-Z][a-z]+)\)", "", phrase)
    phrase = phrase.strip().strip(",;:—–").strip()
    if phrase.endswith(".") and not re.search(r"(?:\b(?:[A-Z]\.){2,}|\b[A-Z]\.|\b(?:Jr|Sr|Inc|Ltd|Co)\.)$", phrase):
        phrase = phrase[:-1].rstrip()
    return phrase


def strip_possessive(token):
    return re.sub(r"(?:[’']s|(?<=s)[’'])$", "", token)


def top_level_commas(text):
    """Return the positions of commas outside quotations and parentheses."""
    masked = mask_quotes(text)
    depth, positions = 0, []
    for i, ch in enumerate(masked):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            positions.append(i)
    return positions


def segments(text):
    """Split text at its top-level commas."""
    cuts = [-1, *top_level_commas(text), len(text)]
    return [text[a + 1:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]


def is_name_token(token, *, last):
    bare = token.rstrip(",")
    lowered = bare.lower().rstrip(".")
    if not NAME_TOKEN.match(bare) or lowered in NOT_NAME or lowered in HONORIFICS:
        return False
    if lowered in TITLE_WORDS or lowered in PORTFOLIOS or lowered in ORG_HEADS or org_kind(bare):
        return False
    # "Hydrologist Mira Tallen": a profession before a name; a surname such as Lindqvist stays a name
    return last or not is_title_word(lowered)


def has_name(text):
    """True when text holds two capitalized words in a row that could be a person's name."""
    tokens = text.split()
    return any(is_name_token(a, last=False) and is_name_token(b, last=True) and not is_demonym(a)
               for a, b in zip(tokens, tokens[1:], strict=False))


def is_org_name(phrase):
    """True when phrase looks like the proper name of an organization ("Bank of Sylvania", "Morrow & Pike")."""
    tokens = phrase.split()
    if not tokens or len(tokens) > 14 or not tokens[0][:1].isupper() or not org_kind(phrase):
        return False
    if tokens[0].endswith(".") or tokens[0].lower() in PERSONAL_HONORIFICS:
        return False  # "Professor Inga Holm of Northvale University" is a person
    if tokens[-1].lower() in CONNECTORS - {"&"}:
        return False
    proper = [t for t in tokens if t[:1].isupper() or t[:1].isdigit()]
    if len(proper) + sum(1 for t in tokens if t.lower() in CONNECTORS) == len(tokens):
        return True
    # "Amber Coast Compact observer mission": a proper name followed by the lowercase noun of a body
    tail = []
    for token in reversed(tokens):
        if token[:1].isupper():
            break
        tail.insert(0, token)
    return bool(tail) and tail[-1].lower() in ORG_HEADS and all(
        t.isalpha() and t not in CONNECTORS and t not in PREPOSITIONS for t in tail)


def leading_org(text):
    """Return the organization name text starts with ("Calder Institute for Economic Policy in Morvaine" -> ...)."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    text = IN_PLACE.sub("", text) if org_kind(IN_PLACE.sub("", text)) else text
    words = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        word = token.rstrip(".,;:") if not re.fullmatch(r"(?:[A-Z]\.){2,}", token) else token
        if not (word[:1].isupper() or word.lower() in CONNECTORS or word == "&"):
            break
        following = tokens[i + 1].rstrip(".").lower() if i + 1 < len(tokens) else ""
        if word.lower() == "and" and (following in HONORIFICS or is_title_word(following)):
            break  # "the Verhoeven Institute for Border Studies and Professor Anselm Kettridge"
        words.append(word)
        if word != token:
            break
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words)


def spelled_out(words, acronym):
    """Return the end of words whose initials spell acronym ("... of the Joint Chiefs of Staff", "JCS")."""
    tokens = words.split()
    for start in range(len(tokens)):
        candidate = tokens[start:]
        if candidate[0].lower() in CONNECTORS:
            continue
        initials = "".join(t[0] for t in candidate if t[:1].isupper())
        if initials.upper() == acronym.upper():
            return " ".join(candidate)
    return leading_org(re.sub(r"^.*?\b(?:the|The)\s+(?=[A-Z])", "", words))


def singular(word):
    return re.sub(r"(?<=[a-z])s$", "", word)


class Names:
    """What the story has named so far, to resolve short references; and the speaker grammar itself."""

    def __init__(self, *, outlet=""):
        self.outlet = outlet
        self.people = []  # full names mentioned, latest last
        self.institutions = []  # institution names mentioned, latest last
        self.aliases = {}  # acronym -> full name ("JCS" -> "Joint Chiefs of Staff")
        self.known = {}  # name -> details printed where they spoke or were the subject (first printing wins)
        self.mentioned = {}  # name -> details printed with a passing mention ("chaired by Judge X")
        self.speakers = []  # names that have spoken, latest last
        self.subjects = []  # Refs of the people (or spokespeople) recent sentences were about, latest last
        self.genders = {}  # name -> "he" or "she", once the copy has used a pronoun or honorific for them
        self.last_institution = None  # institution name for "it" and "its"
        self.spokesperson_for = None  # institution an unnamed spokesperson spoke for, for "the spokesman"
        self.document_author = None  # institution that issued the latest statement or report
        self.notes = []
        if outlet and org_kind(outlet) not in {"", "news_agency"} and is_org_name(outlet):
            self.institutions.append(outlet)  # a ministry's own release: "the Ministry" is the outlet

    # Memory -----------------------------------------------------------------------------------
    def remember(self, ref, *, in_passing=False):
        """Remember a person or institution the copy named, and what it printed about them."""
        pool = self.people if ref.kind == "person" else self.institutions
        if ref.name in pool:
            pool.remove(ref.name)
        pool.append(ref.name)
        if ref.kind == "person" and is_org_name(ref.affiliation) and ref.affiliation not in self.institutions:
            self.institutions.append(ref.affiliation)  # "Halden Steel Chief Executive X": the company is named too
        known = (self.mentioned if in_passing else self.known).setdefault(ref.name, {})
        for key, value in ref.details().items():
            known.setdefault(key, value)

    def spoke(self, ref):
        if ref.name in self.speakers:
            self.speakers.remove(ref.name)
        self.speakers.append(ref.name)
        self.remember(ref)

    def make_institution(self, name):
        """The grammar showed a name read as a person's is an institution's ("X said that it ...")."""
        if name in self.people:
            self.people.remove(name)
        if name in self.institutions:
            self.institutions.remove(name)
        self.institutions.append(name)
        self.known.pop(name, None)
        self.mentioned.pop(name, None)
        self.subjects = [r for r in self.subjects if r.name != name]

    def kind_of(self, name):
        return "institution" if name in self.institutions else "person"

    def resolve_short(self, token):
        """Return the full name a surname or given name refers to: the latest speaker first, then anyone."""
        token = strip_possessive(token).lower()
        for pool in (reversed(self.speakers), reversed(self.people)):
            for name in pool:
                if name not in self.people:
                    continue
                parts = [p.lower() for p in name.split()]
                if token in (parts[0], parts[-1]):
                    return name
        return None

    def resolve_institution(self, phrase):
        """Return the institution a reference names ("the ministry", "Halvmark", "General Staff", "JCS")."""
        bare = re.sub(r"^(?:the|The)\s+", "", phrase.strip())
        if bare in self.aliases:
            return self.aliases[bare]
        if re.fullmatch(r"[A-Z]{2,8}", bare):
            return self.by_initials(bare)
        words = [w.lower() for w in re.findall(r"[\w’'&–-]+", bare)]
        if not words:
            return None
        for name in reversed(self.institutions):
            lowered = name.lower()
            if lowered == bare.lower():
                return name
            name_words = [w.lower() for w in re.findall(r"[\w’'&–-]+", name)]
            if len(words) == 1 and bare[:1].isupper() and name_words[0] == words[0] and not org_kind(bare):
                return name  # "Halvmark" for "Halvmark Energy"
            if set(words) <= set(name_words) and (
                words[-1] == self.head_word(name) or lowered.startswith(bare.lower()) or lowered.endswith(bare.lower())
            ):
                return name
        if words[-1] in {"company", "firm", "group", "operator", "carrier", "lender", "insurer", "producer"}:
            for name in reversed(self.institutions):
                if org_kind(name) in {"other", ""} and not ORG_HEADS.get(self.head_word(name)):
                    return name
        return None

    def by_initials(self, acronym):
        """Return the institution named earlier whose initials spell acronym ("JCS": "Joint Chiefs of Staff").

        Wire copy often prints the full name first and the acronym later without brackets; only one
        named institution may match, and only one of two words or more.
        """
        matches = []
        for name in reversed(self.institutions):
            words = [w for w in re.findall(r"[\w’'&–-]+", name) if w.lower() not in CONNECTORS]
            if len(words) >= 2 and "".join(w[0] for w in words).upper() == acronym and name not in matches:
                matches.append(name)
        return matches[0] if len(matches) == 1 else None

    @staticmethod
    def head_word(name):
        words = [w.lower() for w in re.findall(r"[\w’'&–-]+", name)]
        if "of" in words[1:]:
            before = words[: words.index("of", 1)]
            for word in reversed(before):
                if word in ORG_HEADS:
                    return word
        return words[-1] if words else ""

    def scan(self, sentence):
        """Remember the people, institutions and acronyms a sentence names, and the titles printed with them."""
        masked = mask_quotes(sentence)
        word = rf"(?:[{UP}][\w’'\-–]*|of|the|for|and|&)"
        for m in re.finditer(rf"({word}(?:\s+{word}){{0,10}})\s+\(([A-Z]{{2,8}})\)", masked):
            full = spelled_out(m.group(1), m.group(2))
            if full:
                self.aliases[m.group(2)] = full
                if org_kind(full):
                    self.remember(Ref(full, "institution"))
        word = rf"(?:[{UP}][\w’'\-–.&]*|&)"
        run = rf"{word}(?:\s+(?:(?:of|for|and|the|de|du|van|von)\s+)*{word}){{0,9}}"
        for m in re.finditer(rf"(?:\b(?:[{LO}][{LO}\-]+\s+){{0,3}})?(?P<run>{run})", masked):
            phrase = clean(masked[m.start():m.end()])
            words = phrase.split()
            while words and (words[0].lower().rstrip(".") in NOT_NAME or not (
                words[0][:1].isupper() or is_title_word(words[0]) or words[0].lower() in TITLE_MODIFIERS
                or words[0].lower() in PORTFOLIOS
            )):
                words.pop(0)
            if not words:
                continue
            words[-1] = strip_possessive(words[-1])
            phrase = " ".join(words)
            if phrase == self.outlet:
                continue
            pair = re.split(r"\s+and\s+", phrase)
            if len(pair) == 2:  # "Foreign Minister Han Seo-jin and Ostrellan Foreign Minister Mattias Brenn": both
                first = self.person(pair[0], resolve=False)
                second = self.person(pair[1], resolve=False)
                if first and second and len(first.name.split()) >= 2 and len(second.name.split()) >= 2 and (
                        first.title and second.title):
                    self.remember(first, in_passing=True)
            pieces = [phrase, *pair[1:], re.split(r"\s+(?:of|for|and|the)\s+", phrase)[-1]]
            for piece in pieces:
                person = self.person(piece, resolve=False)
                if person and len(person.name.split()) >= 2:
                    self.remember(person, in_passing=True)
                    break
            else:
                run_text = strip_possessive(clean(m.group("run")))
                org = leading_org(run_text)
                for split in re.finditer(r"\s+(?:of|at|and)\s+(?:the\s+)?", run_text):
                    if self.person(run_text[: split.start()], resolve=False):  # "Wenna Strathcoe of Ferncastle ..."
                        org = leading_org(run_text[split.end():])
                        break
                known = self.resolve_institution(org) if org else None
                if known and known != org and known.lower().endswith(org.lower()):
                    continue  # "the Wildlife Service" after "the Freedonian Wildlife Service": the same body
                if org and is_org_name(org) and len(org.split()) > 1 and org != self.outlet:
                    self.remember(Ref(org, "institution"), in_passing=True)
        self.scan_companies(masked)

    def scan_companies(self, masked):
        """Remember a company printed with the noun that says it is one ("carrier Nordvinge", "the mine's
        operator, Holmskar Copper"), so a name with no organization word is not read as a person's."""
        name = rf"(?P<name>[{UP}][\w&’'\-]*(?:\s+[{UP}][\w&’'\-]*){{0,3}})(?=[,.;:]|\s+[{LO}]|$)"
        for m in re.finditer(
            rf"(?:\b(?:the|its|[{UP}][\w\-]*[’']s)\s+(?:[\w’'\-]+\s+){{0,2}}{COMPANY_APPOSITIVE},\s+"
            rf"|(?<![’'])\b{COMPANY_BEFORE_NAME}\s+){name}", masked):
            found = strip_possessive(m.group("name"))
            first = found.split()[0].lower().rstrip(".")
            if is_title_word(first) or first in HONORIFICS or first in NOT_NAME or found == self.outlet:
                continue
            if found in self.genders or found in self.speakers:
                continue  # the copy has already treated it as a person
            if "," not in m.group(0) and len(found.split()) == 2 and not is_org_name(found):
                continue  # "letter carrier Anna Holm" may be a person: only "the X's operator, Name" says more
            self.make_institution(found)

    # The grammar --------------------------------------------------------------------------------
    def parse(self, phrase, *, quiet=False):
        """Return the Ref a phrase names, or None when it names no one in particular."""
        phrase = clean(phrase)
        if not phrase or len(phrase) > 240:
            return None
        phrase = re.sub(r",\s*according to [^,]*(?:,|$)", ",", phrase).strip(" ,")
        phrase = WEEKDAY_RE.sub("", phrase)
        phrase = TRAILING_ADVERBS.sub("", phrase).strip(" ,")
        parts = [p for p in segments(phrase) if p]
        if not parts:
            return None
        kept, dropped = [parts[0]], []
        for part in parts[1:]:
            (dropped if DROPPED_SEGMENT.match(part) else kept).append(part)
        first = kept[0]
        if first.startswith(("“", '"')):
            return None
        if first.lower() in {f"the {d}" for d in DOCUMENTS}:
            for text in parts[1:]:  # "The report, published by the Lindqvist Centre, said"
                m = re.match(r"^(?:published|issued|released|compiled|written|prepared|put out)\s+by\s+(.+)$", text)
                if m and (author := self.core(m.group(1), quiet=True)):
                    return replace(author, reference=phrase)
        including = INCLUDING.match(phrase)
        if including:
            return self.included(including, quiet=quiet)
        ref = self.core(first, quiet=quiet)
        appositives = kept[1:]
        if ref is not None and ref.spokesperson and len(kept) >= 2:
            # "A spokeswoman for the authority, Ilse Marwood, said": the spokesperson is named after all
            person = self.person(kept[1], quiet=True, resolve=False)
            if person and len(person.name.split()) >= 2 and not person.title:
                spokes = re.search("|".join(SPOKESPEOPLE), first.lower())
                person.title = spokes.group(0) if spokes else ""
                person.affiliation = ref.name
                ref, appositives = person, kept[2:]
        if ref is None and len(kept) >= 2 and self.descriptive(first):
            ref = self.core(kept[1], quiet=quiet)
            if ref is not None:
                # "The most candid assessment came from a former commander of X, Capt. Y": the description
                # is the noun phrase that ends the clause
                article = list(re.finditer(r"\s(?:a|an)\s", first))
                described = first[article[-1].start() + 1:] if article else first
                appositives = [described, *kept[2:]]
        if ref is not None and ref.name == "state media" and len(kept) >= 2 and (
                re.fullmatch(r"[A-Z]{2,8}", kept[1]) or kept[1].lower() in KNOWN_STATE_MEDIA):
            # "Its state news agency, DCNA,": the agency is named after all
            ref, appositives = Ref(KNOWN_STATE_MEDIA.get(kept[1].lower(), kept[1]), "institution"), kept[2:]
        if ref is None:
            return None
        if ref.kind == "institution" and set(ref.name.split()) & (AUXILIARIES | CLAUSE_OPENERS):
            return None  # "Relations have remained frozen since X blew up a liaison office": a clause, not a name
        for text in appositives:
            details = self.appositive(text, institution=ref.kind == "institution")
            if details is None:
                return None
            for key, value in details.items():
                if value and not getattr(ref, key):
                    setattr(ref, key, value)
        if ref.kind == "person" and not ref.affiliation:
            for text in dropped:
                org = re.search(rf"\b(?:at|of|for)\s+(?:the\s+)?([{UP}][^,]*)", text)
                if text.lower().startswith("who") and org and is_org_name(leading_org(org.group(1))):
                    ref.affiliation = leading_org(org.group(1))
                    break
        if ref.kind == "person" and not ref.title and ref.rank not in {"", "academic"}:
            ref.title = ref.rank  # "Vice Marshal Dravik Olm": the rank is the only title printed
        return ref

    def included(self, m, *, quiet=False):
        """"Analysts including Mirela Tovar of Castlegate Risk": the named member of a group speaks."""
        person = self.core(m.group("rest"), quiet=quiet)
        if person is None or person.kind != "person":
            return None
        head = singular(m.group("head").lower())
        if not person.title and head in TITLE_WORDS:
            person.title = head
        if m.group("org") and not person.affiliation:
            org = leading_org(m.group("org"))
            person.affiliation = self.printed_org(org) if is_org_name(org) else ""
        return person

    @staticmethod
    def descriptive(text):
        """True when a phrase before a name describes it ("A retired navy officer", "Port Vessna's mayor")."""
        words = text.split()
        if " and " in f" {text} ":
            return False  # "Interior Minister X and his deputy, Y": two people
        return bool(words) and (
            words[0].lower() in ARTICLES | set(POSSESSIVE_PRONOUNS) or words[0][:1].islower()
            or bool(POSSESSIVE.match(words[0])) or any(is_title_word(w) for w in words)
        )

    def core(self, phrase, *, quiet=False):
        """Parse one comma-free noun phrase naming a speaker."""
        phrase = clean(phrase)
        lowered = phrase.lower()
        if lowered in PRONOUNS:
            return self.pronoun(phrase)
        if re.fullmatch(r"the \d+-year-old", lowered):
            # "“…,” the 54-year-old told AVP": the person the latest sentences were about
            latest = self.subjects[-1] if self.subjects else None
            if latest is not None and latest.kind == "person" and latest.name:
                return Ref(latest.name, "person", reference=phrase)
            return None
        if lowered in {f"the {d}" for d in DOCUMENTS}:
            if self.document_author:
                return Ref(self.document_author, "institution", reference=phrase)
            return None
        if lowered in {f"the {s}" for s in SPOKESPEOPLE}:
            if self.spokesperson_for:
                return Ref(self.spokesperson_for, "institution", reference=phrase, spokesperson=True)
            return None
        m = re.match(r"^(?:a|an|the)\s+(?:[a-z\-]+\s+)?(" + "|".join(SPOKESPEOPLE) + r")\s+(?:for|of|at|with)\s+(.+)$",
                     phrase, re.I)
        if m:
            org = self.institution(m.group(2)) or self.common_institution(m.group(2))
            if org:
                return replace(org, reference=phrase, spokesperson=True)
            return None
        m = re.match(r"^(?:a|an|the)\s+(?:[\w-]+\s+)?(?:statement|report|communiqu[eé]|release|note|notice|filing)\s+"
                     r"(?:from|by|of|issued by|released by)\s+(.+)$", phrase, re.I)
        if m:  # "a statement from the ministry"
            ref = self.institution(m.group(1)) or self.common_institution(m.group(1)) or self.person(m.group(1))
            return replace(ref, reference=phrase) if ref else None
        m = re.match(r"^the\s+((?:[a-z\-]+\s+){0,2}[a-z\-]+)$", phrase, re.I)
        if m and title_head(m.group(1)) and not org_kind(m.group(1)):
            name = self.resolve_title(m.group(1))  # "the minister", "the professor"
            if name or m.group(1).split()[-1] not in COMPANY_NOUNS:
                return Ref(name, "person", reference=phrase) if name else None
        m = re.match(r"^led by\s+(.+)$", phrase)
        if m:  # "The study's authors, led by Professor Inga Holm of Northvale University, wrote"
            return self.core(m.group(1), quiet=quiet)
        m = re.match(rf"^(?P<group>[{UP}{LO}]+s)\s+(?:at|from|with|of)\s+(?P<org>[{UP}].+?)\s+led by\s+(?P<name>.+)$",
                     phrase)
        if m:
            person = self.person(m.group("name"), quiet=quiet)
            if person:
                person.title = person.title or singular(m.group("group").lower())
                person.affiliation = person.affiliation or leading_org(m.group("org"))
                return person
            return None
        for split in re.finditer(r"\s+(?:of|at|from)\s+(?:the\s+)?", phrase):
            left, right = phrase[: split.start()], phrase[split.end():]
            person = self.person(left, quiet=True)
            if person is None:
                continue
            org = leading_org(right)
            if org and is_org_name(org):
                person.affiliation = person.affiliation or self.printed_org(org)
                return person
            if right[:1].isupper() and not org_kind(right):
                return person  # "President Arvid Solberg of Norland": a country, not an affiliation
        person = self.person(phrase, quiet=True)
        if person:
            return person
        org = self.institution(phrase)
        if org:
            return org
        person = self.person(phrase, quiet=quiet)  # now with a note when a short name is unknown
        return person

    @property
    def last_person(self):
        return self.subjects[-1] if self.subjects else None

    def note_subject(self, ref):
        """Remember the person a sentence is about (latest last), for "he" and "she"."""
        self.subjects = [r for r in self.subjects if r.name != ref.name][-5:] + [ref]

    def pronoun(self, phrase):
        """Resolve "he", "she" or "it": the latest subject whose pronoun, once known, agrees."""
        lowered = phrase.lower()
        if PRONOUNS[lowered] == "institution":
            return Ref(self.last_institution, "institution", reference=phrase) if self.last_institution else None
        for ref in reversed(self.subjects):
            if ref.kind == "anonymous":
                return None  # the latest sentence was about someone the copy does not name
            if self.genders.get(ref.name, lowered) == lowered:
                if ref.kind == "person":
                    self.genders[ref.name] = lowered
                return replace(ref, reference=phrase, title="", affiliation="", country="", description="")
        full = [name for name in self.people if len(name.split()) >= 2 and name.split()[-1].lower() not in PLACE_WORDS]
        if not self.subjects and len(full) == 1 and self.genders.get(full[0], lowered) == lowered:
            # A feature's opening names one person, as an object ("nobody told Henrik Aaslandet"): "he" is them
            self.genders[full[0]] = lowered
            return Ref(full[0], "person", reference=phrase)
        return None

    def resolve_title(self, title):
        """Return the person a title refers to ("the minister", "the professor"): the latest speaker with it."""
        head = title_head(title)
        if not head:
            return None
        for pool in (reversed(self.speakers), reversed(self.people)):
            for name in pool:
                printed = self.known.get(name, {}).get("title") or self.mentioned.get(name, {}).get("title", "")
                if name in self.people and title_head(printed) == head:
                    return name
        return None

    def person(self, phrase, *, quiet=True, resolve=True):
        """Parse [possessive] [demonym] [ORG] [title] [honorifics] NAME; None when there is no name."""
        tokens = phrase.split()
        if not tokens or len(tokens) > 14:
            return None
        j = len(tokens)
        while j > 0 and len(tokens) - j < 4:
            token = tokens[j - 1]
            if is_name_token(token, last=j == len(tokens)) or (
                token.lower() in NAME_PARTICLES and j < len(tokens) and j - 1 > 0
            ):
                j -= 1
            else:
                break
        while j < len(tokens) and tokens[j].lower() in NAME_PARTICLES:
            j += 1
        name_tokens = tokens[j:]
        if not name_tokens:
            return None
        pre = tokens[:j]
        if pre and POSSESSIVE.match(pre[-1]) and not HONORIFICS.get(pre[-1].lower().rstrip(".")):
            return None  # "Drovenia's statement", "Kim's sister"
        rank = []
        while pre and pre[-1].lower().rstrip(".") in HONORIFICS:
            rank.insert(0, pre.pop())
        reference = ""
        if len(name_tokens) == 1:
            if not resolve:
                return None
            name = self.resolve_short(name_tokens[0])
            if not name:
                note = f"“{phrase}” is quoted but no earlier full name matches it; not attributed."
                unknown = not GENERIC_SUBJECT.match(phrase) and not self.resolve_institution(name_tokens[0])
                if not quiet and len(tokens) <= 3 and unknown and note not in self.notes:
                    self.notes.append(note)
                return None
            reference = phrase
        else:
            name = " ".join(name_tokens)
            if phrase == self.outlet:
                return None
        ref = Ref(name, "person", reference=reference)
        for token in rank:
            gender = {"mr": "he", "sir": "he", "mrs": "she", "ms": "she", "miss": "she", "dame": "she"}.get(
                token.lower().rstrip("."))
            if gender and resolve:
                self.genders.setdefault(name, gender)
        ranks = [HONORIFICS[t.lower().rstrip(".")] for t in rank]
        if any(ranks):
            ref.rank = " ".join(r for r in ranks if r)
        elif any(t.lower().rstrip(".") in ACADEMIC_HONORIFICS for t in rank):
            ref.rank = "academic"
        if pre:
            details = self.title_words(pre)
            if details is None:
                return None
            for key, value in details.items():
                setattr(ref, key, value)
        return ref

    def title_words(self, words, *, lower=True):
        """Read the words printed before a name: possessive, demonym, organization and title.

        A title printed before a name is capitalized as an office ("Water Secretary") and is lowercased;
        one printed in an appositive keeps its case ("former Talmoran army planner").
        """
        words = list(words)
        details = {}
        dashes = [i for i, w in enumerate(words) if w in {"-", "–", "—"}]
        if dashes:
            words = words[dashes[-1] + 1:]  # "Kessport (Corvanne) (AVP) - Fisherman X": the dateline is no title
        if len(words) >= 2 and words[-1] in {"named", "called"}:
            words = words[:-1]  # "a dairy farmer named X"
        words = [w for w in words if not re.fullmatch(r"\d+-year-old,?", w)]  # "61-year-old eel fisherman"
        if words and words[0].lower() in ARTICLES:
            words.pop(0)
        if words and words[0].lower() in POSSESSIVE_PRONOUNS:
            pronoun = words.pop(0).lower()
            if pronoun == "its" and self.last_institution:
                details["affiliation"] = self.last_institution
        for k, word in enumerate(words):
            m = POSSESSIVE.match(word)
            if not m:
                continue
            possessor = " ".join([*words[:k], m.group(1)])
            possessor_bare = re.sub(r"^(?:the|The)\s+", "", possessor)
            found = self.resolve_institution(possessor_bare) if org_kind(possessor_bare) else None
            if found or org_kind(possessor_bare):
                details["affiliation"] = found or possessor_bare
            elif possessor_bare.lower() in PLACE_POSSESSIVES:
                details["country"] = PLACE_POSSESSIVES[possessor_bare.lower()]
            elif not possessor_bare[:1].isupper():
                pass  # "the summit's host", "the study's lead author": a description
            words = words[k + 1:]
            break
        if len(words) >= 2 and " ".join(words[:2]).lower() in DEMONYMS:
            details.setdefault("country", DEMONYMS[" ".join(words[:2]).lower()])
            words = words[2:]
        while len(words) >= 2 and is_demonym(words[0]) and not is_title_word(words[0]):
            if words[0].lower() in DEMONYMS:
                details.setdefault("country", DEMONYMS[words[0].lower()])
            words = words[1:]
        if not words:
            return details
        lowered = [w.lower() for w in words]
        heads = [i for i, w in enumerate(lowered)
                 if is_title_word(w) or (i and f"{lowered[i - 1]} {w}" in TITLE_WORDS)]
        if not heads:
            if any(w[:1].isupper() for w in words[1:]) or len(words) > 3 or set(lowered) & (PREPOSITIONS | ARTICLES):
                return None  # words that are neither title nor name: not a person ("a study published in")
            if set(lowered) & RELATIONS or not all(w.isalpha() for w in lowered) or re.search(r"[^s]s$", lowered[-1]):
                details["description"] = " ".join(words)  # "my colleague"
            else:
                details["title"] = " ".join(lowered if lower else words)  # a job not listed: "harbour master"
            return details
        last_head = heads[-1]
        if "and" in lowered[:last_head]:
            return None  # "Mayor Teo Brandt and Councillor Ana Ruiz": two people
        after = lowered[last_head + 1:]
        to_place = after[:1] == ["to"] and lowered[last_head] in {"ambassador", "envoy", "consul", "delegate"}
        if after and not ((after[0] in {"of", "for"} or to_place) and 1 < len(after) <= 4 and after[1] not in ARTICLES
                          and not set(after[1:]) & PREPOSITIONS):
            return None  # words after the title that are not a name (a portfolio may follow: "Minister of Health")
        # An organization named before the title: "Unification Ministry spokesperson", "Marrow Line chief
        # executive", "Ministry of Health spokesperson", "Commission chair", "civil protection agency spokeswoman".
        org_end = 0
        while org_end < last_head and (words[org_end][:1].isupper() or lowered[org_end] in ORG_CONNECTORS) and (
            not is_title_word(lowered[org_end]) and lowered[org_end] not in TITLE_MODIFIERS
        ):
            org_end += 1
        while org_end and lowered[org_end - 1] in ORG_CONNECTORS:
            org_end -= 1
        if set(lowered[org_end:last_head]) & PREPOSITIONS or has_name(" ".join(words[org_end:last_head])):
            return None  # "chaired by Judge X", "Mayor Teo Brandt met Councillor Ana Ruiz": a clause, not a title
        splits = [i + 1 for i in range(org_end, last_head) if lowered[i] in ORG_HEADS and not is_title_word(lowered[i])]
        for split in sorted({*splits[-1:], *([org_end] if org_end else [])}, reverse=True):
            org_words = " ".join(words[:split])
            single = split == 1 and (lowered[0] in ORG_HEADS or not org_kind(words[0]))
            found = self.resolve_institution(org_words) if split >= 2 or single else None
            if found:
                details.setdefault("affiliation", found)
                words = words[split:]
                break
            proper = all(w[:1].isupper() or w.lower() in ORG_CONNECTORS for w in words[:split])
            if split >= 2 and proper and (org_kind(org_words) or not words[split][:1].isupper()):
                details.setdefault("affiliation", org_words)
                words = words[split:]
                break
        details["title"] = " ".join(words).lower() if lower else " ".join(words)
        return details

    def institution(self, phrase):
        """Parse an institution's name as printed, or a reference to one the story has named."""
        phrase = clean(phrase)
        bare = re.sub(r"^(?:the|The)\s+", "", phrase)
        bare = re.sub(rf"^[{UP}][\w’'-]*-based\s+(?=[{UP}])", "", bare)  # "Vossberg-based X": X
        if not bare:
            return None
        named = re.search(r"\b[Ss]tate(?:-run|-controlled)?\s+([A-Z]{2,8})\s+(?:news agency|agency|television|"
                          r"broadcaster|radio|newspaper)$", bare) or re.fullmatch(
            r"(?:[\w’']+\s+)?[Ss]tate(?:-run|-controlled)?\s+(?:news agency|agency|television|broadcaster|radio|"
            r"newspaper|media)\s+([A-Z]{2,8})", bare)
        if named and named.group(1) != self.outlet:
            return Ref(named.group(1), "institution")  # "Drovenia's state-run DCNA news agency", "State media DCNA"
        if STATE_MEDIA_RE.match(bare):
            return Ref("state media", "institution")
        if bare.lower() in KNOWN_STATE_MEDIA:
            return Ref(KNOWN_STATE_MEDIA[bare.lower()], "institution")
        if bare in self.aliases:
            return Ref(self.aliases[bare], "institution", reference=phrase)
        if GENERIC_SUBJECT.match(bare):
            return None  # "Officials at the ministry", "Analysts at Ironbridge"
        if re.fullmatch(r"[A-Z]{2,8}", bare) and (found := self.by_initials(bare)):
            return Ref(found, "institution", reference=phrase)  # "the JCS" after "Joint Chiefs of Staff"
        if re.fullmatch(r"[A-Z]{3,6}", bare) and bare != self.outlet:
            return Ref(bare, "institution")  # an acronym the story did not spell out ("the IMF said")
        m = POSSESSIVE.match(bare.split()[0]) if bare.split() else None
        if m and len(bare.split()) > 1 and bare[:1].isupper():
            possessor = m.group(1)
            rest = " ".join(bare.split()[1:])
            country = PLACE_POSSESSIVES.get(possessor.lower(), "")
            if is_org_name(rest) and rest[:1].isupper() and not is_title_word(rest.split()[0]):
                return Ref(rest, "institution", country=country)
            if is_title_word(rest.split()[-1]):
                return None  # "Ostrella's navy chief": a person described, not the navy
            clause = len(rest.split()) > 4 or {w.lower() for w in rest.split()} & (PREPOSITIONS | AUXILIARIES)
            if not rest[:1].isupper() and org_kind(rest) and not org_kind(possessor) and not clause:
                return Ref(bare, "institution", country=country)  # "Ostrella's delegation", "Varnland's army"
            return None
        office = is_title_word(bare.split()[0]) and bare.split()[0].lower() not in TITLE_MODIFIERS and " of " in bare
        if is_org_name(bare) and not self.person(bare, resolve=False) and not office:  # "President of the X Chamber"
            found = self.resolve_institution(bare) if len(bare.split()) == 1 and bare.lower() in ORG_HEADS else None
            if found:
                return Ref(found, "institution", reference=phrase)  # "the Ministry": the one the copy named
            country = next((c for d, c in DEMONYMS.items() if bare.lower().startswith(d + " ")), "")
            return Ref(self.aliases.get(bare, bare), "institution", country=country)
        if bare[:1].isupper() and len(bare.split()) <= 4:
            found = self.resolve_institution(bare)
            if found:
                return Ref(found, "institution", reference=phrase)
        words = bare.split()
        lead = 0
        while lead < min(3, len(words) - 1) and words[lead][:1].islower():
            lead += 1
        if lead and not {w.lower() for w in words[:lead]} & PREPOSITIONS and is_org_name(" ".join(words[lead:])):
            # "the newspaper Vessna Daily"
            return Ref(" ".join(words[lead:]), "institution")
        if words and is_demonym(words[0]) and len(words) > 1 and not words[1][:1].isupper() and org_kind(bare):
            return Ref(bare, "institution")  # "Freedonian government"
        if not bare[:1].isupper() or phrase[:3].lower() == "the":
            return self.common_institution(phrase)
        return None

    def common_institution(self, phrase):
        """Resolve "the ministry", "the company", "the coast guard"; a public body may stand on its own."""
        bare = re.sub(r"^(?:the|The)\s+", "", clean(phrase))
        if not bare or bare[:1].isupper() and not org_kind(bare):
            return None
        if len(bare.split()) > 4 or not re.fullmatch(r"[\w’'\- ]+", bare):
            return None
        found = self.resolve_institution(bare)
        if found:
            return Ref(found, "institution", reference=phrase)
        words = bare.lower().split()
        if bare.lower() in PUBLIC_BODIES or (
            len(words) == 2 and words[0] in PORTFOLIOS and words[1] in {"ministry", "department"}
        ):
            return Ref(bare, "institution", reference=phrase)
        return None

    def printed_org(self, org):
        """Return an organization as printed; an acronym the story spelled out is given in full."""
        return self.aliases.get(org, org)

    def appositive(self, text, *, institution=False):
        """Parse ", professor at Ewha Womans University" and the like into title, affiliation, description."""
        text = clean(text)
        text = re.sub(r"^(?:now|currently|formerly|also|and)\s+", "", text)
        if not text:
            return {}
        if institution:
            return {"description": text}
        m = re.match(r"^(?:of|at|from)\s+(?:the\s+)?(.+)$", text)
        if m:
            org = leading_org(m.group(1))
            return {"affiliation": self.printed_org(org)} if org and is_org_name(org) else {"description": text}
        body = re.split(r"\s+(?:who|which|whose)\s+", text)[0]
        relative = text[len(body):]
        body = re.sub(r"^(?:a|an|the)\s+", "", body, flags=re.I)
        if org_kind(IN_PLACE.sub("", body)) and IN_PLACE.search(body):
            body = IN_PLACE.sub("", body)
        words = body.split()
        owner = next((k for k, w in enumerate(words[:3]) if POSSESSIVE.match(w)), None)
        if owner is not None and any(w.lower() in PREPOSITIONS or is_title_word(w) for w in words[:owner]):
            owner = None  # "commander of Varnland's eastern district": the possessive is inside the affiliation
        if words and (words[0].lower() in POSSESSIVE_PRONOUNS or owner is not None):
            details = self.title_words(words)  # "Its chair", "Port Vessna's mayor", "The mission's head"
            if details and details.get("title"):
                return details
        for split in PREPOSITION_SPLIT.finditer(body):
            title, org = body[: split.start()], body[split.end():]
            if split.group(1) == "in" or not title_head(title):
                continue
            if re.fullmatch(r"[a-z]+(?: [a-z]+)?", org) and org_kind(org) and (found := self.resolve_institution(org)):
                return {"title": title, "affiliation": found}  # "chief engineer at the directorate"
            org = IN_PLACE.sub("", org) if org_kind(IN_PLACE.sub("", org)) else org
            if is_org_name(org) or (re.match(rf"^[{UP}][\w\-–]*[’']s\s+[{LO}]", org) and len(org.split()) <= 5):
                return {"title": title, "affiliation": self.printed_org(org)}
        m = re.fullmatch(rf"(?P<org>(?:[{UP}][\w’'\-.&]*\s+)+)(?P<title>[{LO}][{LO}\s\-]*)", body)
        if m and is_org_name(m.group("org").strip()) and title_head(m.group("title")):
            return {"title": m.group("title").strip(), "affiliation": m.group("org").strip()}
        title = re.split(r"\s+(?:of|for|at|in|from|with)\s+(?:the|a|an)\s+", body)[0]
        words = title.split()
        if " and " in f" {title} " or has_name(title):
            return {"description": text}  # "Interior Minister Oskar Vail and his deputy": not one title
        if words and is_title_word(words[-1]) and len(words) <= 6 and "of" not in words and "for" not in words:
            details = self.title_words(words, lower=False)  # "board spokesman": an organization may lead
            if details and details.get("title"):
                return details
        head = next((i for i in range(len(words) - 1, -1, -1) if is_title_word(words[i])), None)
        portfolio = head is not None and words[head + 1:head + 2] in (["of"], ["for"]) and len(words) - head <= 5
        if words and len(words) <= 8 and (is_title_word(words[-1]) or portfolio):
            details = {"title": title}
            if relative and not details.get("affiliation"):
                org = re.search(rf"\b(?:at|of|for)\s+(?:the\s+)?([{UP}][^,]*)", relative)
                if org and is_org_name(leading_org(org.group(1))):
                    details["affiliation"] = leading_org(org.group(1))
            return details
        return {"description": text}
