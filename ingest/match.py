"""Find the analysts, organizations and sources a suggestion may already exist as.

Names are compared after normalizing case, accents, hyphens, punctuation and spacing, so
"Leif Eric Easley" finds "Leif-Eric Easley" and "Unification Ministry" finds "Ministry of
Unification". difflib scores the rest: a score of NEAR or more is offered as the same record,
SIMILAR or more as a choice for the editor, anything lower is proposed as new.
"""
import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from articles.models import Analyst, Organization, Source

NEAR = 0.92
SIMILAR = 0.75
STOPWORDS = {"the", "of", "for", "and", "on", "in", "at", "a", "an"}
DEMONYM_PREFIX = re.compile(r"^(?:south korean|north korean|u s|american|japanese|chinese|russian) ")


def normalize_name(name):
    """Return name casefolded, without accents, punctuation, hyphens or extra spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`]s\b", "s", text.casefold())
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = " ".join(text.split())
    return re.sub(r"^the ", "", text)


def name_variants(name):
    """Return the normalized name and the same name without a leading nationality."""
    normal = normalize_name(name)
    variants = {normal}
    variants.add(DEMONYM_PREFIX.sub("", normal))
    return variants


def score(a, b, *, subset=False):
    """Return how alike two names are, from 0 to 1 (1: the same name once normalized).

    The same words in another order count as near ("Ministry of Unification"). With subset, a name
    of three or more words whose words all appear in the other also counts as near ("Kim Yo Jong
    statement carried by state media" in "... by North Korean state media"); used for sources and
    organizations, never for people.
    """
    best = 0.0
    for x in name_variants(a):
        for y in name_variants(b):
            if x == y:
                return 1.0
            wx, wy = set(x.split()) - STOPWORDS, set(y.split()) - STOPWORDS
            if wx == wy:
                best = max(best, 0.97)
            elif subset and min(len(wx), len(wy)) >= 3 and (wx <= wy or wy <= wx):
                best = max(best, 0.93)
            best = max(best, difflib.SequenceMatcher(None, x, y).ratio())
    return best


@dataclass
class Match:
    pk: int
    name: str
    score: float

    @property
    def kind(self):
        if self.score >= 1.0:
            return "exact"
        return "near" if self.score >= NEAR else "similar"

    @property
    def label(self):
        if self.kind == "exact":
            return f"{self.name} (same name)"
        return f"{self.name} ({self.kind}, {round(self.score * 100)}% alike)"


def rank(name, candidates, *, limit=5, subset=False):
    """Return (pk, name) candidates at least SIMILAR to name, best first."""
    matches = [Match(pk, other, score(name, other, subset=subset)) for pk, other in candidates]
    matches = [m for m in matches if m.score >= SIMILAR]
    matches.sort(key=lambda m: (-m.score, m.name))
    return matches[:limit]


def _candidates(queryset, name):
    """Narrow the table to rows sharing a word with name, so matching stays cheap on a big table."""
    words = [w for w in normalize_name(name).split() if len(w) >= 3 and w not in STOPWORDS]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(name__icontains=word)
    return list(queryset.filter(query).values_list("pk", "name")[:500])


def match_analyst(name):
    return rank(name, _candidates(Analyst.objects.all(), name))


def match_organization(name):
    return rank(name, _candidates(Organization.objects.all(), name), subset=True)


def match_source(name):
    return rank(name, _candidates(Source.objects.all(), name), subset=True)


def best(matches):
    """Return the match to preselect: an exact or near one, else None (propose a new record)."""
    if matches and matches[0].score >= NEAR:
        return matches[0]
    return None
