"""The same-story score of two articles: several signals, one calibrated number.

Signals (each survives translation and rewording):
- `cos`: cosine of the multilingual embeddings of the full texts;
- `head`: cosine of the embeddings of headline plus lead (first `HEAD_CHARS`);
- `align_low`, `align_high`, `align_top`: how well the sentences of one
  article find their match in the other (`digest.alignment`);
- shared numbers and shared name-like words (`digest.signals`), as the share
  of the smaller set found in the other, with a flag for "nothing to compare"
  (a name in Chinese and the same name in English share no letters), and as a
  count;
- the text lengths (short texts give noisier cosines) and whether the two are
  in different languages (cross-language cosines run lower).

A logistic model turns them into a score on the human scale of the
SemEval-2022 Task 8 ratings: about 1 for "the same event", about 0 for
"unrelated" (fitted by `digest.benchmarks.calibrate` on the fit half of the dev pairs;
the coefficients ship in `dedup/calibration.py`). Two more signals cannot be
learnt from those pairs, which carry no dates or outlets, so they enter as
fixed logit offsets written in the same file and documented there: articles
published days apart, and two different articles from one outlet (an outlet
rarely writes the same story twice in a day; a re-fetch of the same article is
a near-copy and caught earlier).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from digest.dedup.signals import names, numbers
from digest.encoders.embed import has_words
from digest.models import Article

HEAD_CHARS = 300

FEATURES = (
    "cos",
    "head",
    "num",
    "num_known",
    "ent",
    "ent_known",
    "num_shared",
    "ent_shared",
    "min_len",
    "len_ratio",
    "cross",
    "cos_cross",
    "ent_cross",
    "cos_sq",
    "align_low",
    "align_high",
    "align_top",
)


def full_text(article: Article) -> str:
    return f"{article.title}\n{article.text}".strip()


def head_text(article: Article) -> str:
    return full_text(article)[:HEAD_CHARS]


@dataclass(frozen=True)
class Profile:
    """What the score needs from one article, computed once per article."""

    language: str
    length: int
    has_words: bool  # False for an empty or symbols-only text: nothing to compare
    numbers: frozenset[str]
    names: frozenset[str]
    outlet: str | None
    published_day: float | None  # days since the epoch

    @classmethod
    def of(cls, article: Article) -> Profile:
        text = full_text(article)
        day = article.published.timestamp() / 86400 if article.published else None
        return cls(
            language=article.language,
            length=len(text),
            has_words=has_words(text),
            numbers=numbers(text),
            names=names(text),
            outlet=(article.outlet or "").strip().casefold() or None,
            published_day=day,
        )


class Pair(NamedTuple):
    """What the model compares for two articles: their profiles and embedding cosines."""

    first: Profile
    second: Profile
    cos: float  # full texts
    head: float  # headline plus lead
    align: tuple[float, float, float]  # sentence alignment: low, high, top


def feature_matrix(pairs: list[Pair]) -> np.ndarray:
    """The model's input for many pairs, one row per pair, columns in FEATURES order.

    Column-wise numpy: scoring is the step that grows with the number of
    candidate pairs, so it avoids a dict per pair.
    """
    cos = np.array([p.cos for p in pairs])
    head = np.array([p.head for p in pairs])
    align = np.array([p.align for p in pairs], dtype=float).reshape(len(pairs), 3)
    cross = np.array([float(p.first.language != p.second.language) for p in pairs])
    num, num_known, num_shared = _share_columns([(p.first.numbers, p.second.numbers) for p in pairs])
    ent, ent_known, ent_shared = _share_columns([(p.first.names, p.second.names) for p in pairs])
    lengths = np.array([(max(p.first.length, 1), max(p.second.length, 1)) for p in pairs], dtype=float)
    short, long = lengths.min(axis=1), lengths.max(axis=1)
    columns = {
        "cos": cos,
        "head": head,
        "num": num,
        "num_known": num_known,
        "ent": ent,
        "ent_known": ent_known,
        "num_shared": np.log1p(num_shared),
        "ent_shared": np.log1p(ent_shared),
        "min_len": np.log(short),
        "len_ratio": np.log(long / short),
        "cross": cross,
        "cos_cross": cos * cross,
        "ent_cross": ent * cross,
        "cos_sq": cos * cos,
        "align_low": align[:, 0],
        "align_high": align[:, 1],
        "align_top": align[:, 2],
    }
    return np.column_stack([columns[f] for f in FEATURES])


def _share_columns(sets: list[tuple[frozenset[str], frozenset[str]]]) -> tuple[np.ndarray, ...]:
    shared = np.array([len(a & b) for a, b in sets], dtype=float)
    smaller = np.array([min(len(a), len(b)) for a, b in sets], dtype=float)
    known = (smaller > 0).astype(float)
    return np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0), known, shared


class PairScorer:
    """Logistic model over `FEATURES`, plus the fixed date and outlet offsets."""

    def __init__(self, calibration: dict[str, Any]):
        self.mean = np.array([calibration["mean"][f] for f in FEATURES])
        self.scale = np.array([calibration["scale"][f] for f in FEATURES])
        self.weights = np.array([calibration["weights"][f] for f in FEATURES])
        self.bias = float(calibration["bias"])
        self.threshold = float(calibration["threshold"])
        offsets = calibration.get("offsets", {})
        self.same_outlet = float(offsets.get("same_outlet", 0.0))
        self.days_free = float(offsets.get("days_apart_free", 2.0))
        self.per_day = float(offsets.get("per_day_beyond", 0.0))

    def logits(self, rows: np.ndarray) -> np.ndarray:
        result: np.ndarray = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return result

    def score(self, pairs: list[Pair]) -> np.ndarray:
        """Scores in 0..1, one per pair; 0 where either article has no words.

        An empty text has all-zero signals, far outside anything the model
        was fitted on (its alignment weights would read "nothing in common"
        as a contrast, not as an absence), so it is not left to the model.
        """
        if not pairs:
            return np.zeros(0)
        logits = self.logits(feature_matrix(pairs))
        logits += np.array([self.offset(p.first, p.second) for p in pairs])
        scores = 1.0 / (1.0 + np.exp(-logits))
        scores[[not (p.first.has_words and p.second.has_words) for p in pairs]] = 0.0
        result: np.ndarray = scores
        return result

    def offset(self, a: Profile, b: Profile) -> float:
        value = 0.0
        if a.outlet and a.outlet == b.outlet:
            value += self.same_outlet
        if a.published_day is not None and b.published_day is not None:
            beyond = abs(a.published_day - b.published_day) - self.days_free
            value += self.per_day * max(beyond, 0.0)
        return value
