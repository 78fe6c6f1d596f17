"""The summarise stage: one summary per article, one blurb per story.

`[summariser] model` picks the engine: "extractive" (the offline default,
sentences scored with the packaged MiniLM encoder, see `extractive.py`) or a
Hugging Face model id / local directory (see `abstractive.py`). Either way
summaries are cached in the state database by (content hash, model,
settings), so a re-run of the same day summarises nothing again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from digest.config import SummariserSettings
from digest.console import progress
from digest.encoders.sentence_encoder import SentenceEncoder, use_threads
from digest.errors import ConfigError
from digest.models import Article, Story
from digest.state import StateDB
from digest.summarise.blurb import story_blurb
from digest.summarise.extractive import ExtractiveSummariser
from digest.text.headline import tidy_headline

log = logging.getLogger(__name__)

CACHE_KIND = "summary"
# Bump when a change to the code (weights, rules) changes what a summary would be.
ALGORITHM = "5"  # 4: wire datelines stripped from sentences; 5: time stamps too, "6. 1" mended
# Articles per extractive batch: the encoder sorts all their sentences by
# length, so a larger pool pads less (batch_size is for abstractive models,
# whose memory grows with it).
EXTRACTIVE_BATCH = 32


class Engine(Protocol):
    def summarise(self, articles: Sequence[Article]) -> list[str]: ...


class Summariser:
    """Summarises articles in batches (cached) and writes story blurbs."""

    def __init__(
        self,
        settings: SummariserSettings,
        state: StateDB | None,
        engine: Engine,
        extractive: ExtractiveSummariser,
    ):
        self.settings = settings
        self.state = state
        self.engine = engine
        self.extractive = extractive

    def summarise_articles(self, articles: Sequence[Article]) -> list[Article]:
        keys = [self.cache_key(a) for a in articles]
        done = self._cached(keys)
        # Length-sorted, so each batch pads little (the engine sees similar lengths).
        todo = sorted(
            (i for i, key in enumerate(keys) if key not in done), key=lambda i: len(articles[i].text)
        )
        if todo:
            log.info("summarising %d articles (%d cached)", len(todo), len(articles) - len(todo))
        size = EXTRACTIVE_BATCH if self.engine is self.extractive else max(1, self.settings.batch_size)
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        for batch in progress(batches, "summarise", total=len(batches)):
            summaries = self._summarise_batch([articles[i] for i in batch])
            fresh = {keys[i]: text for i, text in zip(batch, summaries, strict=True)}
            done.update(fresh)
            self._store(fresh)
        # The headline is tidied here, once, for every later stage (dedup, blurb, render).
        return [
            replace(a, title=tidy_headline(a.title, a.text, a.language), summary=done[key])
            for a, key in zip(articles, keys, strict=True)
        ]

    def summarise_story(self, story: Story) -> str:
        return story_blurb(story, self.extractive)

    def _summarise_batch(self, articles: list[Article]) -> list[str]:
        try:
            return self.engine.summarise(articles)
        except Exception as exc:
            log.warning("summarising a batch failed (%s); trying its articles one by one", exc)
            log.debug("batch failed", exc_info=True)
            return [self._summarise_one(a) for a in articles]

    def _summarise_one(self, article: Article) -> str:
        try:
            return self.engine.summarise([article])[0]
        except Exception as exc:
            log.debug("summary failed", exc_info=True)
            if self.engine is self.extractive:
                log.warning("%s: could not be summarised (%s); summary left empty", article.origin, exc)
                return ""
            log.warning(
                "%s: the model %s failed (%s); using the extractive summary",
                article.origin,
                self.settings.model,
                exc,
            )
            return self._extractive_or_empty(article)

    def _extractive_or_empty(self, article: Article) -> str:
        try:
            return self.extractive.summarise([article])[0]
        except Exception as exc:  # noqa: BLE001
            log.warning("%s: could not be summarised (%s); summary left empty", article.origin, exc)
            return ""

    def cache_key(self, article: Article) -> str:
        s = self.settings
        parts = [ALGORITHM, article.content_hash, article.language, s.model, s.sentences, s.max_words]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()

    def _cached(self, keys: list[str]) -> dict[str, str]:
        if self.state is None:
            return {}
        found = self.state.get_many(CACHE_KIND, sorted(set(keys)))
        return {k: v.decode("utf-8") for k, v in found.items()}

    def _store(self, summaries: dict[str, str]) -> None:
        if self.state is not None and summaries:
            self.state.put_many(CACHE_KIND, {k: v.encode("utf-8") for k, v in summaries.items()})


def load_summariser(settings: SummariserSettings, state: StateDB | None) -> Summariser:
    """The summariser `settings.model` names; models load once, here."""
    if settings.threads < 0:
        raise ConfigError(f"summariser.threads must be 0 (one per CPU core) or more, got {settings.threads}")
    use_threads(settings.threads)
    extractive = ExtractiveSummariser(SentenceEncoder(), settings.sentences, settings.max_words)
    engine: Engine = extractive
    if settings.model != "extractive":
        from digest.summarise.abstractive import load_abstractive

        engine = load_abstractive(settings, extractive)
    return Summariser(settings, state, engine, extractive)
