"""Content words and word pairs of a sentence: what two sentences share.

Concepts are what the blurb covers and what tells two sentences that say the
same thing: content words (no stop words, no short words), lower-cased and
lightly stemmed ("arrests" and "arrest" are one), and the pairs of content
words that follow each other. The stop list is English, where the dev and
test data are; in other languages the length rule does most of the work.
"""

from __future__ import annotations

import itertools
import re

_WORD = re.compile(r"\w+(?:['\u2019.]\w+)*")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "near",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "put",
        "rather",
        "said",
        "same",
        "say",
        "says",
        "see",
        "seen",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "toward",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "told",
        "tell",
        "according",
        "new",
        "mr",
        "mrs",
        "ms",
        "dr",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "en",
        "est",
        "pour",
        "dans",
        "qui",
        "que",
        "sur",
        "pas",
        "plus",
        "par",
        "avec",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "ein",
        "eine",
        "den",
        "dem",
        "von",
        "zu",
        "auf",
        "für",
        "el",
        "los",
        "las",
        "del",
        "por",
        "con",
        "una",
        "para",
    ]
)


def _stem(word: str) -> str:
    """A light suffix strip: plural and possessive endings only, so it stays safe in most languages."""
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(sentence: str) -> list[str]:
    """The sentence's content words in order, lower-cased and stemmed."""
    words = (w.lower() for w in _WORD.findall(sentence))
    return [_stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]


def concepts(sentence: str) -> set[str]:
    """Content words, and pairs of adjacent words unless both are stop words
    ("police chief", "of Chile"): the pairs carry the names and phrases."""
    words = [_stem(w.lower()) for w in _WORD.findall(sentence)]
    pairs = {
        f"{a} {b}"
        for a, b in itertools.pairwise(words)
        if not (a in STOP_WORDS and b in STOP_WORDS) and not (a.isdigit() and b.isdigit())
    }
    return set(content_words(sentence)) | pairs


def overlap(a: str, b: str) -> float:
    """Shared content words over those of the shorter sentence (1.0: one says all the other does)."""
    return shared(set(content_words(a)), set(content_words(b)))


def shared(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    """`overlap` of two sets of content words."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
