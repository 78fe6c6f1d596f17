"""Does a blurb sentence stand alone? Openings that lean on missing context.

A blurb is read without the articles, so a sentence may not open with
- a pronoun or a connective pointing back ("He added...", "But...", "True, ..."),
- a surname the reader has not been given: "Pinochet, 82, ..." or "Ms. Clywd
  said..." when neither the headline nor an earlier sentence named the person.
A surname is told from a place or a thing by the sources: somewhere they give
it with a first name before it ("Augusto Pinochet"). Such an opening is
expanded with the full name the sources use ("Augusto Pinochet, 82, ...");
what cannot be expanded is dropped by the blurb.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.models import Article
from digest.text.sentences import first_word, leans_back, split_sentences

# Openers that need the sentence before, beyond `sentences.leans_back`'s pronouns.
CONNECTIVES = frozenset(
    [
        "true",
        "indeed",
        "moreover",
        "furthermore",
        "besides",
        "thus",
        "therefore",
        "nevertheless",
        "nonetheless",
        "otherwise",
        "likewise",
        "similarly",
        "again",
        "accordingly",
        "consequently",
        "hence",
        "anyway",
        "regardless",
        "nor",
        "or",
        "we",
        "i",
        "our",
        "us",
        "my",
        "you",
        "both",
        "such",
        "another",
        "latter",
        "afterward",
        "afterwards",
    ]
)
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "maj",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "president",
        "minister",
        "judge",
    ]
)
_TOKEN = re.compile(r"[\w'\u2019.\-]+")
_NAME = re.compile(r"^[A-Z][a-z'\u2019\-]+[a-z]$")  # Pinochet, O'Brien, Smith-Jones


@dataclass
class Names:
    """What the sources say about capitalised words: proper nouns, and full names of people."""

    proper: set[str]  # capitalised mid-sentence, never in lower case
    full: dict[str, str]  # surname -> the full name the sources use most ("Augusto Pinochet")


def names_in(articles: Sequence[Article]) -> Names:
    capital: Counter[str] = Counter()
    lower: set[str] = set()
    full: dict[str, Counter[str]] = {}
    for article in articles:
        for sentence in split_sentences(article.text, article.language):
            tokens = [t.strip(".,;:'\u2019\"") for t in _TOKEN.findall(sentence)]
            for i, token in enumerate(tokens):
                if token.islower():
                    lower.add(token)
                elif i > 0 and _NAME.match(token):
                    capital[token] += 1
            for first, last in itertools.pairwise(tokens):  # "Augusto Pinochet": first name, surname
                if _NAME.match(first) and _NAME.match(last) and first.lower() not in HONORIFICS:
                    full.setdefault(last, Counter())[f"{first} {last}"] += 1
    proper = {w for w in capital if w.lower() not in lower}
    # A first name is never written in lower case ("The Pinochet..." gives no first name "The").
    full_names = {
        last: next((name for name, _ in c.most_common() if name.split()[0].lower() not in lower), "")
        for last, c in full.items()
        if last in proper
    }
    return Names(proper, {last: name for last, name in full_names.items() if name})


def _words(text: str) -> list[str]:
    return [t.strip(".,;:'\u2019\"") for t in _TOKEN.findall(text)]


def opening_gap(sentence: str, known: str, names: Names) -> str:
    """Why the sentence's opening needs context the reader lacks ("" when it stands alone)."""
    first = first_word(sentence)
    if leans_back(sentence) or first in CONNECTIVES:
        return f"opens with {first!r}"
    surname = opening_surname(sentence, names)
    if surname and surname not in set(_words(known)):
        return f"opens with the surname {surname!r}, never introduced"
    return ""


def opening_surname(sentence: str, names: Names) -> str:
    """The surname a sentence opens with ("Pinochet" in "Pinochet, 82," or "Ms. Clywd said"), or ""."""
    tokens = _words(sentence.lstrip("\"'\u201c\u2018\u00ab "))
    if len(tokens) < 2:
        return ""
    if tokens[0].lower().rstrip(".") in HONORIFICS and _NAME.match(tokens[1]):
        after = tokens[2] if len(tokens) > 2 else ""
        return tokens[1] if not _NAME.match(after) else ""
    if tokens[0] in names.full and not _NAME.match(tokens[1]):
        return tokens[0]
    return ""


def expand(sentence: str, names: Names) -> str:
    """The sentence with its opening surname given in full ("Ms. Clywd" -> "Ann Clywd"), or "" if unknown."""
    surname = opening_surname(sentence, names)
    full = names.full.get(surname)
    if not surname or not full:
        return ""
    lead = len(sentence) - len(sentence.lstrip("\"'\u201c\u2018\u00ab "))
    at = sentence.index(surname, lead)
    return sentence[:lead] + full + sentence[at + len(surname) :]


def context_gaps(headline: str, sentences: Sequence[str], articles: Sequence[Article]) -> list[str]:
    """For each blurb sentence whose opening leans on missing context: the reason."""
    names = names_in(articles)
    gaps = []
    for i, sentence in enumerate(sentences):
        known = " ".join([headline, *sentences[:i]])
        if reason := opening_gap(sentence, known, names):
            gaps.append(f"{sentence[:60]!r}: {reason}")
    return gaps
