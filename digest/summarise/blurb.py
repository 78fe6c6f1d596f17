"""A story's blurb: a few whole sentences drawn from all its sources.

1. Candidates: the opening sentences of each member in the story's language,
   and its summary's sentences (the best of each article). A sentence that is
   mostly quote, or opens by pointing back ("He added...", "But...",
   "True, ..."), is left out: out of its article it points at nothing.
2. Choice (`coverage.select`): the sentences that together cover the most
   concepts (content words and pairs) that several outlets state, within
   `max_words` and `max_sentences`; two sentences that say the same thing
   (content-word overlap above `REDUNDANT`) or that would set two outlets'
   figures side by side ("2,000 calls" and "6,543") never stand together.
3. Order: the sentence that says who, what, where and when first (the one
   nearest the top of its article, as news is written), then the rest in
   their articles' order, older articles first.
4. Stand-alone: a sentence opening with a surname nobody introduced
   ("Pinochet, 82, ...") gets the full name from the sources ("Augusto
   Pinochet, 82, ..."); when there is none, the sentence is dropped and the
   choice made again without it.
Every figure is in the source it came from, and every sentence is whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from digest.models import Article, Story
from digest.summarise.coverage import Option, concept_weights, select
from digest.summarise.extractive import ExtractiveSummariser
from digest.summarise.standalone import CONNECTIVES, Names, expand, names_in, opening_gap
from digest.text.concepts import concepts, content_words, shared
from digest.text.figures import figures
from digest.text.sentences import first_word, is_usable, leans_back, quote_share, split_sentences, word_count

MAX_QUOTE_SHARE = 0.5  # a blurb reports; a sentence mostly quote is left out
OPENING_SENTENCES = 12  # sentences of each member's top that may stand in the blurb
REDUNDANT = 0.5  # content-word overlap at which two sentences say the same thing
MAX_POOL = 200  # candidates the solver sees (the rest: latest in their articles)
REPAIRS = 3  # rounds of dropping a sentence that cannot stand alone and choosing again


@dataclass(frozen=True)
class Candidate:
    text: str
    member: int  # index into story.members
    position: int  # sentence number in the member's text
    words: int
    figures: frozenset[str]
    concepts: frozenset[str]
    content: frozenset[str]  # content words, for redundancy


def candidates(story: Story, language: str, max_words: int) -> list[Candidate]:
    found: list[Candidate] = []
    for index, member in enumerate(story.members):
        if member.language != language:
            continue
        sentences = split_sentences(member.text, language)
        summary = set(split_sentences(member.summary, language))
        seen: set[str] = set()
        for position, s in enumerate(sentences):
            if (position < OPENING_SENTENCES or s in summary) and s not in seen and _fits(s, max_words):
                seen.add(s)
                found.append(
                    Candidate(
                        s,
                        index,
                        position,
                        word_count(s),
                        figures(s),
                        frozenset(concepts(s)),
                        frozenset(content_words(s)),
                    )
                )
    return sorted(found, key=lambda c: c.position)[:MAX_POOL]


def _fits(sentence: str, max_words: int) -> bool:
    """Usable on its own, and not a quote or a sentence pointing back."""
    return (
        word_count(sentence) <= max_words
        and is_usable(sentence)
        and quote_share(sentence) <= MAX_QUOTE_SHARE
        and not leans_back(sentence)
        and first_word(sentence) not in CONNECTIVES
    )


def story_blurb(story: Story, summariser: ExtractiveSummariser) -> str:
    """The story's blurb in `story.language` ("" when no member offers a sentence)."""
    language = story.language or story.lead.language
    pool = candidates(story, language, summariser.max_words)
    if not pool and language != story.lead.language:
        language = story.lead.language
        pool = candidates(story, language, summariser.max_words)
    if not pool:
        return ""
    members = [m for m in story.members if m.language == language]
    sentences = choose(story, pool, names_in(members), summariser.max_words, summariser.max_sentences)
    return " ".join(sentences)


def choose(
    story: Story, pool: list[Candidate], names: Names, max_words: int, max_sentences: int
) -> list[str]:
    weights = concept_weights(_stated_by(story, pool))
    pool = _distinct(pool)
    options = [Option(c.words, c.concepts, c.position) for c in pool]
    conflicts = _conflicts(story.members, pool)
    banned: set[int] = set()
    sentences: list[str] = []
    for _ in range(REPAIRS + 1):
        allowed = [i for i in range(len(pool)) if i not in banned]
        picked = [
            allowed[k]
            for k in select(
                [options[i] for i in allowed], weights, _reindex(conflicts, allowed), max_words, max_sentences
            )
        ]
        ordered = order(story, pool, picked)
        sentences, failed = stand_alone(story.headline, [pool[i].text for i in ordered], names, max_words)
        if not failed:
            return sentences
        banned.update(ordered[k] for k in failed)
    return sentences


def _distinct(pool: list[Candidate]) -> list[Candidate]:
    """One candidate per wording: syndicated copies repeat sentences word for word, and
    identical options only make the solver's search longer (they still count as outlets)."""
    seen: set[frozenset[str]] = set()
    found = []
    for c in pool:
        if c.content not in seen:
            seen.add(c.content)
            found.append(c)
    return found


def _reindex(conflicts: set[tuple[int, int]], allowed: list[int]) -> set[tuple[int, int]]:
    where = {i: k for k, i in enumerate(allowed)}
    return {(where[a], where[b]) for a, b in conflicts if a in where and b in where}


def _outlet(story: Story, member: int) -> str:
    article = story.members[member]
    return article.outlet or article.url or article.path or str(member)


def _stated_by(story: Story, pool: list[Candidate]) -> dict[str, tuple[int, int]]:
    """Concept -> (how many outlets state it, in how many of their sentences)."""
    outlets: dict[str, set[str]] = {}
    sentences: Counter[str] = Counter()
    for c in pool:
        for concept in c.concepts:
            outlets.setdefault(concept, set()).add(_outlet(story, c.member))
            sentences[concept] += 1
    return {concept: (len(who), sentences[concept]) for concept, who in outlets.items()}


def _conflicts(members: list[Article], pool: list[Candidate]) -> set[tuple[int, int]]:
    """Pairs that must not stand together: one fact twice, or two outlets' figures."""
    pairs = set()
    sources = {c.member: figures(members[c.member].text) for c in pool if c.figures}
    for i, a in enumerate(pool):
        for j in range(i + 1, len(pool)):
            b = pool[j]
            if _mixes_figures(a, b, sources) or shared(a.content, b.content) > REDUNDANT:
                pairs.add((i, j))
    return pairs


def _mixes_figures(a: Candidate, b: Candidate, sources: dict[int, frozenset[str]]) -> bool:
    """Two outlets' figures side by side, unless each outlet also gives the other's."""
    if a.member == b.member or not a.figures or not b.figures:
        return False
    return not (a.figures <= sources[b.member] and b.figures <= sources[a.member])


def order(story: Story, pool: list[Candidate], picked: list[int]) -> list[int]:
    """Who/what/where/when first (the sentence nearest its article's top), then the
    articles' own order, older articles first."""
    if not picked:
        return []

    def published(i: int) -> tuple[datetime, int]:
        article = story.members[pool[i].member]
        when = article.published.replace(tzinfo=None) if article.published else datetime.max
        return (when, pool[i].member)

    first = min(picked, key=lambda i: (pool[i].position, published(i), -len(pool[i].concepts)))
    rest = sorted((i for i in picked if i != first), key=lambda i: (pool[i].position, published(i)))
    return [first, *rest]


def stand_alone(
    headline: str, sentences: list[str], names: Names, max_words: int
) -> tuple[list[str], list[int]]:
    """The sentences with unintroduced surnames expanded; and the indices of those that cannot stand alone."""
    out: list[str] = []
    failed: list[int] = []
    words = sum(word_count(s) for s in sentences)
    for k, sentence in enumerate(sentences):
        known = " ".join([headline, *out])
        if opening_gap(sentence, known, names):
            longer = expand(sentence, names)
            extra = word_count(longer) - word_count(sentence)
            if not longer or opening_gap(longer, known, names) or words + extra > max_words:
                failed.append(k)
                continue
            sentence, words = longer, words + extra
        out.append(sentence)
    return out, failed
