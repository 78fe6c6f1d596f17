"""The faithfulness guard: a generated summary may not state a figure, a name
or a date its source does not give.

Generative models invent ("hundreds" for "thousands", a wrong year, a
plausible minister). The guard is deliberately strict and cheap: every figure
in the summary must be a figure of the source (after normalising "2,000" to
"2000"), every capitalised word that is not just the first word of a
sentence must occur in the source (a name), and every month or weekday named
must be named in the source too (a date). A summary that fails is rejected
and the caller falls back to the extractive summary.
"""

from __future__ import annotations

import re

from digest.text.figures import figures
from digest.text.sentences import split_sentences

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# Month and weekday names that are written in lower case in these languages,
# so the capital-letter test would miss them.
_DATE_WORDS = frozenset(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "lunes martes miércoles jueves viernes sábado domingo "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica".split()
)


# Words that open sentences without being names (checked only in first place).
_OPENERS = frozenset(
    "a an the some this that these those it its he she they we you i there here in on at "
    "by for from with after before about around over under more most many few several all "
    "both each every no not but and or so yet also however while when as if since "
    "le la les un une des ce cette ces il elle ils elles on nous en au aux du de dans "
    "der die das ein eine es sie wir el los las una unos".split()
)


def _stem(word: str) -> str:
    """Strip a possessive: "Ukraine's" is the name "Ukraine"."""
    return re.sub(r"['’]s?$", "", word)


def unsupported(summary: str, source: str, language: str = "en") -> list[str]:
    """What `summary` states that `source` does not give ([] when faithful)."""
    problems = [f"figure {n}" for n in sorted(figures(summary) - figures(source))]
    source_words = {_stem(w) for w in _WORD.findall(source)}
    source_lower = {w.lower() for w in source_words}
    for sentence in split_sentences(summary, language):
        words = _WORD.findall(sentence)
        for position, word in enumerate(words):
            name = _stem(word)
            if word[0].isupper() and name not in source_words:
                # The first word of a sentence is capitalised anyway.
                if position == 0 and (name.lower() in source_lower or name.lower() in _OPENERS):
                    continue
                problems.append(f"name {name}")
            elif word.lower() in _DATE_WORDS and word.lower() not in source_lower:
                problems.append(f"date {word}")
    return list(dict.fromkeys(problems))  # each once, in order
