"""A story's blurb: 2 or 3 sentences drawn from all its sources.

The candidates are the sentences of the members' own summaries (already the
best of each article) in the story's language; a member without a usable
summary lends its usable sentences instead. Sentences that are mostly quote,
or open by pointing back ("There are...", "He added..."), are left out: out
of their article they point at nothing. The rest are scored like article
sentences (centrality over all sources, so what most outlets agree on comes
first; similarity to the headline; a little for the lead source and for a
sentence's rank in its summary), then picked greedily with
- a redundancy penalty, and a hard stop for paraphrases of a picked sentence
  (outlets retell the same fact in other words),
- a penalty for a source already used, so the blurb draws on several,
- figure consistency: a sentence with a figure is taken only if each source
  already quoted for figures gives that figure too, so "2,000 calls" from one
  outlet and "6,543" from another never end up side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digest.models import Article, Story
from digest.summarise.extractive import ExtractiveSummariser
from digest.text.figures import figures
from digest.text.sentences import is_usable, leans_back, quote_share, split_sentences, word_count

LEAD_BONUS = 0.1
RANK_BONUS = 0.1
REDUNDANCY = 0.6
PARAPHRASE = 0.7  # similarity at which two sentences are taken to say the same thing
SOURCE_PENALTY = 0.25
MAX_QUOTE_SHARE = 0.5  # a blurb reports; a sentence mostly quote is left out
FALLBACK_SENTENCES = 6  # sentences a member without a summary lends


@dataclass(frozen=True)
class Candidate:
    text: str
    member: int  # index into story.members
    rank: int  # place in that member's summary
    words: int
    figures: frozenset[str]


def candidates(story: Story, language: str) -> list[Candidate]:
    found: list[Candidate] = []
    for index, member in enumerate(story.members):
        if member.language != language:
            continue
        sentences = [s for s in split_sentences(member.summary, language) if _fits(s)]
        if not sentences:
            usable = [s for s in split_sentences(member.text, language) if _fits(s)]
            sentences = usable[:FALLBACK_SENTENCES]
        found.extend(Candidate(s, index, rank, word_count(s), figures(s)) for rank, s in enumerate(sentences))
    return found


def _fits(sentence: str) -> bool:
    """Usable on its own: out of its article, "There are..." or "He added..."
    points at nothing, so such sentences are left out of blurbs."""
    return is_usable(sentence) and quote_share(sentence) <= MAX_QUOTE_SHARE and not leans_back(sentence)


def story_blurb(story: Story, summariser: ExtractiveSummariser) -> str:
    """The story's blurb in `story.language` ("" when no member offers a sentence)."""
    language = story.language or story.lead.language
    pool = candidates(story, language)
    if not pool and language != story.lead.language:
        language = story.lead.language
        pool = candidates(story, language)
    if not pool:
        return ""
    vectors = summariser.encoder.encode([story.headline] + [c.text for c in pool])
    scores = _scores(story, pool, vectors[0], vectors[1:])
    picked = _pick(story.members, pool, scores, vectors[1:], summariser)
    return " ".join(pool[i].text for i in picked)


def _scores(story: Story, pool: list[Candidate], title_vec: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    lead = np.array([c.member == story.best for c in pool], dtype=np.float32)
    rank = np.array([1.0 / (1 + c.rank) for c in pool], dtype=np.float32)
    result: np.ndarray = (
        vectors @ centroid + 0.5 * (vectors @ title_vec) + LEAD_BONUS * lead + RANK_BONUS * rank
    )
    return result


def _pick(
    members: list[Article],
    pool: list[Candidate],
    scores: np.ndarray,
    vectors: np.ndarray,
    summariser: ExtractiveSummariser,
) -> list[int]:
    picked: list[int] = []
    budget = summariser.max_words
    figure_sources: set[int] = set()
    remaining = set(range(len(pool)))
    while remaining and len(picked) < summariser.max_sentences:

        def value(i: int) -> float:
            overlap = max((float(vectors[i] @ vectors[j]) for j in picked), default=0.0)
            used = sum(pool[j].member == pool[i].member for j in picked)
            return float(scores[i]) - REDUNDANCY * overlap - SOURCE_PENALTY * used

        best = max(remaining, key=value)
        remaining.discard(best)
        c = pool[best]
        overlap = max((float(vectors[best] @ vectors[j]) for j in picked), default=0.0)
        if c.words > budget or overlap >= PARAPHRASE or not _consistent(c, members, figure_sources):
            continue
        picked.append(best)
        budget -= c.words
        if c.figures:
            figure_sources.add(c.member)
    return picked


def _consistent(c: Candidate, members: list[Article], figure_sources: set[int]) -> bool:
    """Every figure in `c` is also given by each source already quoted for figures."""
    return all(c.figures <= figures(members[m].text) for m in figure_sources if m != c.member)
