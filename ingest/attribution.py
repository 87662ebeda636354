"""Find who said what in a story's paragraphs: the attribution grammar and the reader that resolves names.

Every statement found records the rule that found it (``Statement.rule``), so a wrong suggestion can
be explained to the editor and the rule fixed.
"""
import re
from dataclasses import dataclass

from .lexicon import (
    ANALYST_TITLES,
    CONNECTORS,
    DASHES,
    DEMONYMS,
    GENERIC_SUBJECTS,
    HONORIFICS,
    KNOWN_STATE_MEDIA,
    NAME_PARTICLES,
    NAME_TOKEN,
    NOT_NAME,
    OFFICIAL_TITLES,
    ORG_HEADS,
    PLACE_POSSESSIVES,
    QUOTE_OPEN,
    STATE_MEDIA_RE,
    TITLE_WORDS,
    VERB_RE,
    WEEKDAY_RE,
)
from .sentences import clean_phrase, mask_quotes, quote_spans, split_sentences


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


@dataclass
class Statement:
    """Words the copy attributes to a speaker."""

    speaker: str
    text: str
    direct: bool
    paragraph: int
    rule: str
    sentence: str = ""
    reference: str = ""  # how the copy named the speaker here, when it was not the full name



def strip_possessive(token):
    return re.sub(r"[’']s$", "", token)


def tokens_of(name):
    return [t.lower() for t in re.split(r"[\s\-]+", name) if t]


def is_person_name(phrase):
    """True when phrase looks like a person's full name: 2-5 capitalized words, none a common word."""
    tokens = phrase.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if tokens[0].lower().rstrip(".") in NOT_NAME or tokens[-1].lower() in NOT_NAME:
        return False
    for i, token in enumerate(tokens):
        if token.lower() in NAME_PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not NAME_TOKEN.match(token) or token.lower() in NOT_NAME or token.lower() in TITLE_WORDS:
            return False
    return True


def is_org_name(phrase):
    """True when phrase looks like an organization's proper name ending in a word such as Institute."""
    tokens = phrase.split()
    if not tokens or len(tokens) > 12 or not tokens[0][:1].isupper():
        return False
    if not (tokens[-1][:1].isupper() or tokens[-1].isupper()):
        return False
    return all(t[:1].isupper() or t.lower() in CONNECTORS or t[:1].isdigit() for t in tokens)


def org_head(phrase):
    """Return the kind of organization phrase names (from its last word), or ''."""
    words = re.findall(r"[A-Za-z]+", phrase.lower())
    for word in reversed(words):
        if word in ORG_HEADS:
            return ORG_HEADS[word]
    return ""


def leading_org(text):
    """Return the organization name text starts with: "Verhoeven Institute for Border Studies and Professor ..."."""
    words = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        word = token.rstrip(".,;:" + DASHES) if not re.fullmatch(r"(?:[A-Z]\.){2,}", token) else token
        if not (word[:1].isupper() or word.lower() in CONNECTORS):
            break
        if word.lower() == "and" and i + 1 < len(tokens) and (
            tokens[i + 1].lower().rstrip(".") in TITLE_WORDS | NOT_NAME or HONORIFICS.match(tokens[i + 1] + " ")
        ):
            break
        words.append(word)
        if word != token:
            break
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words)


def title_head(title):
    """Return the first word of title that is a known job title, or ''."""
    for word in re.findall(r"[a-z]+", title.lower()):
        if word in TITLE_WORDS:
            return word
    return ""



SUBJECT_RE = re.compile(r"^((?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?(?:[A-Z][\w’'\-.]*\s+){0,5}[A-Z][\w’'\-]*)(?=[\s,]|$)")


class Reader:
    """Walk the paragraphs in order, remembering who has spoken so short references resolve."""

    def __init__(self, *, outlet=""):
        self.outlet = outlet
        self.statements = []
        self.speakers = {}
        self.notes = []
        self.people = []  # full names mentioned so far, most recent last
        self.institutions = []  # institution names mentioned so far, most recent last
        self.recent_speakers = []  # speakers in order of their latest statement
        self.last_quote_speaker = None
        self.last_subject = None  # the person the latest sentence was about, for "he" and "she"
        self.known = {}  # details printed about a person outside their statements

    # Speakers ----------------------------------------------------------------------------------
    def remember_person(self, name):
        if name in self.people:
            self.people.remove(name)
        self.people.append(name)

    def remember_institution(self, name):
        if name in self.institutions:
            self.institutions.remove(name)
        self.institutions.append(name)

    def scan_mentions(self, sentence):
        """Remember people and institutions named in a sentence (used to resolve later short names)."""
        masked = mask_quotes(sentence)
        for m in re.finditer(r"(?:[A-Z][\w’'\-.]*\s+){1,4}[A-Z][\w’'\-]*", masked):
            words = [strip_possessive(w) for w in m.group(0).split()]
            while words and words[0].lower().rstrip(".") in NOT_NAME:
                words.pop(0)
            phrase = " ".join(words)
            if is_person_name(phrase) and phrase != self.outlet:
                self.remember_person(phrase)
            elif org_head(phrase) and is_org_name(phrase) and len(words) > 1:
                self.remember_institution(phrase)

    def resolve_short(self, token):
        """Return the full name a surname or given name refers to: the latest speaker first, then anyone."""
        token_l = token.lower()
        for pool in (reversed(self.recent_speakers), reversed(self.people)):
            for name in pool:
                if name in self.speakers and self.speakers[name].kind != "person":
                    continue
                parts = tokens_of(name)
                if token_l in (parts[0], parts[-1]) or token_l == name.lower():
                    return name
        return None

    def resolve_institution(self, head_words):
        """Return the latest institution whose name ends like head_words ("Ministry", "the ministry")."""
        head = head_words.lower()
        for name in reversed(self.institutions):
            if name.lower().endswith(head):
                return name
        return None

    def speaker(self, ref):
        """Return the Speaker for a parsed reference, creating or enriching it."""
        name = ref["name"]
        spk = self.speakers.get(name)
        if spk is None:
            spk = self.speakers[name] = Speaker(name=name, kind=ref["kind"])
        for attr in ("title", "affiliation", "country", "description", "carried_by"):
            if ref.get(attr) and not getattr(spk, attr):
                setattr(spk, attr, ref[attr])
        if ref["kind"] == "person":
            self.remember_person(name)
        else:
            self.remember_institution(name)
        return spk

    def parse_speaker(self, phrase):
        """Parse who a phrase names; return a reference dict or None when it names no one in particular."""
        phrase = clean_phrase(phrase)
        if not phrase or any(q in phrase for q in "“”\"") or len(phrase) > 200:
            return None
        if re.fullmatch(r"(?i)he|she", phrase):
            if self.last_subject:
                return {"name": self.last_subject, "kind": "person", "reference": phrase}
            for name in reversed(self.recent_speakers):
                if self.speakers[name].kind == "person":
                    return {"name": name, "kind": "person", "reference": phrase}
            return None
        if GENERIC_SUBJECTS.match(phrase):
            return None
        ref = self.parse_institution(phrase)
        if ref:
            return ref
        return self.parse_person(phrase)

    def parse_institution(self, phrase):
        bare = re.sub(r"^(?:the|The)\s+", "", phrase)
        if STATE_MEDIA_RE.match(bare):
            return {"name": "state media", "kind": "institution", "state_media": True}
        if bare.lower() in KNOWN_STATE_MEDIA:
            return {"name": KNOWN_STATE_MEDIA[bare.lower()], "kind": "institution", "state_media": True}
        if re.fullmatch(r"[Tt]he\s+[a-z]+(?:\s+[a-z]+)?", phrase) and org_head(phrase):
            found = self.resolve_institution(phrase.split(" ", 1)[1])
            if found:
                return {"name": found, "kind": "institution", "reference": phrase}
            return None
        country = ""
        possessive = re.match(r"^([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)[’']s\s+(.*)$", bare)
        if possessive and possessive.group(1).lower() in PLACE_POSSESSIVES:
            country, bare = PLACE_POSSESSIVES[possessive.group(1).lower()], possessive.group(2)
        for demonym, demonym_country in DEMONYMS.items():
            if bare.lower().startswith(demonym + " "):
                country = country or demonym_country
        person_of = re.match(r"^(.+?)\s+(?:of|at|from)\s+", bare)
        if person_of and (is_person_name(person_of.group(1)) or self.parse_name(person_of.group(1))):
            return None
        if org_head(bare) and is_org_name(bare) and not is_person_name(bare):
            return {"name": bare, "kind": "institution", "country": country}
        return None

    def parse_person(self, phrase):
        # NAME of ORG  /  NAME, APPOSITIVE
        m = re.fullmatch(r"(?P<name>[^,]+?)\s+(?:of|at|from)\s+(?:the\s+)?(?P<org>[A-Z][^,]*)", phrase)
        if m and is_org_name(m.group("org")):
            person = self.parse_name(m.group("name"))
            if person:
                person["affiliation"] = person.get("affiliation") or m.group("org")
                return person
        name_part, _, appositive = phrase.partition(",")
        person = self.parse_name(name_part.strip())
        if not person:
            return None
        if appositive.strip():
            details = self.parse_appositive(appositive.strip())
            if details is None:
                return None
            for key, value in details.items():
                if value:
                    person[key] = value
        return person

    def parse_appositive(self, text):
        """Parse ", professor at Ewha Womans University" and the like; None when it is not a description."""
        text = clean_phrase(text)
        if not text or not (text[0].islower() or re.match(r"(?:a|an|the)\s", text) or title_head(text.split()[0])):
            return None
        if len(text.split()) > 20:
            return None
        body = re.sub(r"^(?:a|an|the)\s+", "", text)
        # title (at|of|for|with|from) ORG, taking the rightmost split that leaves a proper name
        splits = list(re.finditer(r"\s+(?:at|of|for|with|from|in)\s+(?:the\s+)?", body))
        for split in reversed(splits):
            title, org = body[: split.start()], body[split.end():]
            if is_org_name(org) and title_head(title) and not re.search(r"[A-Z]", title):
                return {"title": title, "affiliation": org}
        # ORG title: "a Yonsei University professor"
        m = re.fullmatch(r"(?P<org>(?:[A-Z][\w’'\-.&]*\s+)+)(?P<title>[a-z][a-z\s\-]*)", body)
        if m and is_org_name(m.group("org").strip()) and title_head(m.group("title")):
            return {"title": m.group("title").strip(), "affiliation": m.group("org").strip()}
        if title_head(body) and not re.search(r"[A-Z]", body):
            return {"title": body}
        return {"description": text}

    def parse_name(self, phrase, *, quiet=False):
        """Parse "Koo Byoungsam", "Ministry spokesperson Koo Byoungsam", "Kim" (known), "Dr. Kim"."""
        phrase = clean_phrase(phrase)
        if is_person_name(phrase):
            return {"name": phrase, "kind": "person"}
        honorific = re.match(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", phrase)
        if honorific and is_person_name(phrase[honorific.end():]):
            return {"name": phrase[honorific.end():], "kind": "person"}
        words = phrase.split()
        # [ORG words] title NAME: "Ministry spokesperson Koo Byoungsam", "North Korean leader Kim Jong Un"
        for i, word in enumerate(words):
            if word.lower() in TITLE_WORDS or (i + 1 < len(words) and f"{word} {words[i + 1]}".lower() in TITLE_WORDS):
                rest = words[i + 1:]
                while rest and rest[0].lower() in TITLE_WORDS:
                    rest = rest[1:]
                name = " ".join(rest)
                title_words = words[: len(words) - len(rest)]
                prefix = []
                while title_words and title_words[0][:1].isupper() and title_words[0].lower() not in TITLE_WORDS:
                    prefix.append(title_words.pop(0))
                title = " ".join(title_words).lower()
                resolved = None
                if is_person_name(name):
                    resolved = name
                elif len(rest) == 1:
                    resolved = self.resolve_short(strip_possessive(rest[0]))
                if not resolved:
                    return None
                person = {"name": resolved, "kind": "person", "title": title}
                if resolved != name:
                    person["reference"] = phrase
                org = " ".join(prefix)
                lowered = org.lower()
                if org and lowered not in DEMONYMS and not org_head(org):
                    person["title"] = f"{lowered} {title}"  # "Foreign Minister"
                elif org:
                    if lowered in DEMONYMS:
                        person["country"] = DEMONYMS[lowered]
                    elif org_head(org):
                        full = self.resolve_institution(org) if len(prefix) == 1 else None
                        person["affiliation"] = full or org
                return person
        bare = HONORIFICS.sub("", phrase)
        if re.fullmatch(r"[A-Z][\w’'\-]+", bare) and bare.lower() not in NOT_NAME:
            found = self.resolve_short(bare)
            if found:
                return {"name": found, "kind": "person", "reference": phrase}
            if quiet:
                return None
            self.notes.append(f"“{phrase}” is quoted but no earlier full name matches it; not attributed.")
        return None

    # Attribution clauses ----------------------------------------------------------------------
    def parse_attribution(self, clause, *, content_allowed):
        """Parse "Kim said", "said X, professor at Y", "according to X", "X noted that ...".

        Return (reference, content after the verb) or None.
        """
        clause = clean_phrase(clause)
        if not clause:
            return None
        m = re.match(r"(?i)^according to\s+(.+)$", clause)
        if m:
            ref = self.parse_speaker(m.group(1))
            return (ref, "") if ref else None
        masked = mask_quotes(clause)
        m = re.match(r"^(" + VERB_RE.pattern[2:-2] + r")\s+(.+)$", masked)
        if m:
            verb_end = m.end(1)
            rest = clause[verb_end:].strip()
            # "said Kim on Monday", "said Kim in a statement"
            shorter = re.sub(r"\s+(?:on|in|at|during|after|before|late|early|to)\s+[^,]*$", "", rest)
            ref = self.parse_speaker(rest) or self.parse_speaker(shorter)
            if ref:
                return ref, ""
        for vm in VERB_RE.finditer(masked):
            subject = clause[: vm.start()].strip()
            after = clause[vm.end():].strip()
            if not subject:
                return None
            ref = self.parse_subject(subject)
            if not ref:
                return None
            content = re.sub(r"^that\s+", "", after)
            if not content_allowed and content and (
                after.startswith("that ") or len(after.split()) > 10 or any(q in after for q in QUOTE_OPEN)
            ):
                return None
            return ref, content
        return None

    def parse_subject(self, subject):
        """Parse a subject, skipping an introductory clause ("In a statement carried by state media, Kim")."""
        subject = clean_phrase(subject)
        subject = WEEKDAY_RE.sub("", subject)
        subject = re.sub(
            r"\s+(?:also|later|earlier|again|separately|previously|repeatedly|recently|has|have|had|once)$", "", subject
        )
        ref = self.parse_speaker(subject)
        if ref:
            return ref
        parts = subject.split(",")
        for i in range(1, min(len(parts), 4)):
            intro, rest = ",".join(parts[:i]), ",".join(parts[i:])
            if len(intro.split()) > 14:
                break
            ref = self.parse_speaker(rest)
            if ref:
                ref.setdefault("intro", intro.strip())
                return ref
        return None

    # Reading -----------------------------------------------------------------------------------
    def add(self, ref, text, *, direct, paragraph, rule, sentence):
        intro = ref.get("intro", "") + " " + sentence
        carrier = re.search(
            r"carried by (?:the\s+)?(state(?:-run)? media|KCNA|Korean Central News Agency|[A-Z][\w ]{1,40}?)"
            r"(?=[,.]|\s+(?:on|in|that)\b|$)",
            intro,
        )
        if carrier and ref["kind"] == "person":
            ref["carried_by"] = carrier.group(1)
        spk = self.speaker(ref)
        if spk.kind == "person":
            self.last_subject = spk.name
        if spk.name in self.recent_speakers:
            self.recent_speakers.remove(spk.name)
        self.recent_speakers.append(spk.name)
        text = text.strip()
        if direct:
            text = re.sub(r",$", ".", text)
        self.statements.append(
            Statement(
                speaker=spk.name, text=text, direct=direct, paragraph=paragraph, rule=rule,
                sentence=sentence, reference=ref.get("reference", ""),
            )
        )
        return spk

    def note_subject(self, sentence):
        """Remember who a sentence opens with, and how it describes them ("Kettridge, professor at ...")."""
        m = SUBJECT_RE.match(sentence)
        if not m:
            return
        ref = self.parse_name(m.group(1), quiet=True)
        if not ref:
            return
        info = {key: ref[key] for key in ("title", "affiliation", "country") if ref.get(key)}
        after = sentence[m.end():]
        of_org = re.match(r"^\s+(?:of|at|from)\s+(?:the\s+)?([A-Z].*)", after)
        appositive = re.match(r"^,\s*([^,“”\"]+),", after)
        if of_org and is_org_name(leading_org(of_org.group(1))) and org_head(leading_org(of_org.group(1))):
            info.setdefault("affiliation", leading_org(of_org.group(1)))
        elif appositive:
            for key, value in (self.parse_appositive(appositive.group(1)) or {}).items():
                info.setdefault(key, value)
        known = self.known.setdefault(ref["name"], {})
        for key, value in info.items():
            known.setdefault(key, value)
        self.last_subject = ref["name"]

    def read_paragraph(self, number, paragraph):
        previous_quote_speaker = self.last_quote_speaker
        self.last_quote_speaker = None
        for index, sentence in enumerate(split_sentences(paragraph)):
            self.scan_mentions(sentence)
            self.note_subject(sentence)
            if self.read_quotes(number, sentence):
                continue
            continuing = previous_quote_speaker if index == 0 else self.last_quote_speaker
            if self.read_continuation(number, sentence, continuing):
                continue
            self.last_quote_speaker = None
            if sentence[:1] in QUOTE_OPEN:
                continue
            self.read_reported(number, sentence)

    def read_quotes(self, number, sentence):
        """Direct quotes with an attribution next to them. Return True when the sentence was used."""
        spans = quote_spans(sentence)
        found = False
        i = 0
        while i < len(spans):
            start, end = spans[i]
            quote = sentence[start + 1: end - 1] if sentence[end - 1] in "”\"" else sentence[start + 1: end]
            next_start = spans[i + 1][0] if i + 1 < len(spans) else len(sentence)
            after = sentence[end:next_start]
            before_start = spans[i - 1][1] if i > 0 else 0
            before = sentence[before_start:start]
            at_sentence_start = not before.strip() or (i == 0 and re.search(r"[:,]\s*$", before))
            ends_clause = re.search(r"[,.?!" + DASHES + r"]$", quote.strip()) or after.strip().startswith(",")
            parsed = None
            rule = ""
            if at_sentence_start and ends_clause and after.strip():
                tail = after.strip().lstrip(",").strip()
                parsed = self.parse_attribution(tail, content_allowed=False)
                rule = "quote, then who said it"
            if not parsed and i == 0 and before.strip() and re.search(r"[:,]\s*$", before) and (
                end == len(sentence) or not sentence[end:].strip(" .")
            ):
                parsed = self.parse_attribution(before, content_allowed=False)
                rule = "who said it, then the quote"
            if parsed:
                ref, _ = parsed
                text = quote.strip()
                # “Part one,” Kim said, “part two.”
                if i + 1 < len(spans) and after.strip().endswith(","):
                    s2, e2 = spans[i + 1]
                    text = text + " " + sentence[s2 + 1: e2 - 1].strip()
                    i += 1
                spk = self.add(ref, text, direct=True, paragraph=number, rule=rule, sentence=sentence)
                self.last_quote_speaker = spk.name
                found = True
            i += 1
        return found

    def read_continuation(self, number, sentence, speaker):
        """A sentence that is only a quotation continues the speaker of the quotation before it."""
        spans = quote_spans(sentence)
        if not (len(spans) == 1 and spans[0] == (0, len(sentence))):
            if spans and spans[0][0] == 0 and spans[0][1] == len(sentence.rstrip(".")):
                pass
            else:
                return False
        quote = sentence.strip()[1:].rstrip("”\"").strip()
        if not speaker:
            self.notes.append(f"Paragraph {number}: a quotation with no speaker (“{quote[:60]}…”); not attributed.")
            return True
        self.add({"name": speaker, "kind": self.speakers[speaker].kind}, quote, direct=True, paragraph=number,
                 rule="quotation continuing the previous speaker", sentence=sentence)
        self.last_quote_speaker = speaker
        return True

    def read_reported(self, number, sentence):
        """Reported speech: "According to X, ...", "X said ...", "..., X said."."""
        body = sentence.rstrip().rstrip(".")
        masked = mask_quotes(body)
        # According to X(, appositive), content
        m = re.match(r"^(?:(?P<intro>[^,]{0,80}),\s+)?[Aa]ccording to\s+", masked)
        if m:
            rest_start = m.end()
            commas = [c.start() for c in re.finditer(",", masked[rest_start:])]
            best = None
            for c in commas[:4]:
                ref = self.parse_speaker(body[rest_start: rest_start + c])
                if ref:
                    best = (ref, body[rest_start + c + 1:].strip())
            if best and len(best[1].split()) >= 3:
                ref, content = best
                self.add(ref, content, direct=False, paragraph=number, rule="according to", sentence=sentence)
                return
        # Subject verb content
        vm = VERB_RE.search(masked)
        if vm:
            parsed = self.parse_attribution(body, content_allowed=True)
            if parsed and len(parsed[1].split()) >= 3:
                ref, _ = parsed
                self.add(ref, sentence.strip(), direct=False, paragraph=number, rule="speaker, then what they said",
                         sentence=sentence)
                return
        # content, X said.
        commas = [c.start() for c in re.finditer(",", masked)]
        for c in reversed(commas[-4:]):
            tail = body[c + 1:]
            parsed = self.parse_attribution(tail, content_allowed=False)
            content = body[:c].strip()
            if parsed and len(content.split()) >= 3 and not parsed[1]:
                self.add(parsed[0], sentence.strip(), direct=False, paragraph=number,
                         rule="what they said, then who said it", sentence=sentence)
                return

    def finish(self):
        """Decide for each speaker whether it becomes expert commentary or a cited source."""
        for spk in self.speakers.values():
            for key, value in self.known.get(spk.name, {}).items():
                if not getattr(spk, key):
                    setattr(spk, key, value)
            spk.affiliation_kind = org_head(spk.affiliation) if spk.affiliation else ""
            if spk.kind == "institution":
                spk.role, spk.target = "institution", "citation"
                state_media = spk.name == "state media" or spk.name in KNOWN_STATE_MEDIA.values()
                spk.source_name = spk.name if spk.name != "state media" else "State media"
                spk.source_kind = "state_media" if state_media else "statement"
                spk.affiliation_kind = "state_media" if state_media else org_head(spk.name)
                continue
            head = title_head(spk.title)
            if spk.affiliation_kind in {"university", "think_tank"} or (
                head in ANALYST_TITLES and spk.affiliation_kind not in {"government", "news_agency"}
            ):
                spk.role = "analyst"
            elif spk.carried_by or head in OFFICIAL_TITLES or spk.affiliation_kind == "government":
                spk.role = "official"
            else:
                spk.role = "unknown"
            if spk.role == "official":
                spk.target = "citation"
                if spk.carried_by:
                    spk.source_name = f"{spk.name} statement carried by {spk.carried_by}"
                    media = STATE_MEDIA_RE.match(spk.carried_by) or spk.carried_by.lower() in KNOWN_STATE_MEDIA
                    spk.source_kind = "state_media" if media else "statement"
                else:
                    described = " ".join(filter(None, [spk.affiliation, spk.title]))
                    spk.source_name = f"{described} {spk.name}".strip()
                    spk.source_kind = "official"
            else:
                spk.target = "commentary"
