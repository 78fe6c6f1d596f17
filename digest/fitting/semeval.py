"""Read labelled article pairs in the SemEval-2022 Task 8 layout.

Columns used: `pair_id, lang1, lang2, text1, text2, Overall` (1 = same event
.. 4 = unrelated); other columns are ignored. Texts are repaired with ftfy
(the published files hold UTF-8 read as Latin-1). The headline is the first
line when the text has one short enough to be a headline; many texts are a
single paragraph, and then the title is left empty.

`split_of(pair_id)` puts each pair id in "fit" or "holdout" by a hash, so the
calibration is fitted on one part and judged on the other, the same way on
every machine.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import ftfy

from digest.errors import DigestError
from digest.models import Article

log = logging.getLogger(__name__)

SAME_AT_MOST = 1.5  # Overall <= this: the same event
DIFFERENT_AT_LEAST = 3.5  # Overall >= this: different events
HOLDOUT_SHARE = 0.4
MAX_TITLE_CHARS = 200
REQUIRED = ("pair_id", "lang1", "lang2", "text1", "text2", "Overall")


@dataclass(frozen=True)
class LabelledPair:
    pair_id: str
    first: Article
    second: Article
    overall: float

    @property
    def cross_language(self) -> bool:
        return self.first.language != self.second.language

    @property
    def label(self) -> int | None:
        """1 same event, 0 different, None for the uncertain middle."""
        if self.overall <= SAME_AT_MOST:
            return 1
        if self.overall >= DIFFERENT_AT_LEAST:
            return 0
        return None


def read_pairs(path: Path) -> list[LabelledPair]:
    csv.field_size_limit(sys.maxsize)
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise DigestError(f"{path}: not a SemEval pairs file, missing column(s) {', '.join(missing)}")
            pairs = [p for n, row in enumerate(reader, start=2) if (p := _pair(row, path, n))]
    except OSError as exc:
        raise DigestError(f"{path}: cannot read pairs file: {exc.strerror}") from None
    if not pairs:
        raise DigestError(f"{path}: no usable pair in the file")
    return pairs


def _pair(row: dict[str, str], path: Path, line: int) -> LabelledPair | None:
    try:
        overall = float(row["Overall"])
    except (TypeError, ValueError):
        log.warning("%s:%d: skipped, 'Overall' is not a number (%r)", path, line, row["Overall"])
        return None
    return LabelledPair(
        pair_id=row["pair_id"] or f"line{line}",
        first=to_article(row["text1"] or "", row["lang1"] or "", f"{row['pair_id']}#1"),
        second=to_article(row["text2"] or "", row["lang2"] or "", f"{row['pair_id']}#2"),
        overall=overall,
    )


def to_article(raw: str, language: str, path: str) -> Article:
    text = ftfy.fix_text(raw).strip()
    first, _, rest = text.partition("\n")
    if rest and len(first) <= MAX_TITLE_CHARS:
        return Article(title=first.strip(), text=rest.strip(), language=language, path=path)
    return Article(title="", text=text, language=language, path=path)


def split_of(pair_id: str) -> str:
    bucket = int(hashlib.sha256(pair_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "holdout" if bucket < HOLDOUT_SHARE else "fit"
