"""The pipeline: ingest -> clean -> summarise -> deduplicate -> rank -> render -> write.

Each stage is a module of its own; this one only wires them together and
times them. Nothing here holds state between runs except the state database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from digest.clean.cleaner import clean_article
from digest.config import Config
from digest.console import Timings, progress
from digest.dedup.deduplicator import load_deduplicator
from digest.edition.memory import Decision, Memory
from digest.edition.rank import rank_stories
from digest.edition.render import Renderer
from digest.edition.write import finish_pending, write_issue
from digest.errors import NoArticlesError, NothingNewError
from digest.ingest.sources import collect
from digest.ingest.window import window_for
from digest.models import Article, Issue, IssueStory, RawArticle, SourceRef, Story
from digest.state import StateDB
from digest.summarise.summariser import load_summariser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    issue: Issue
    folder: Path
    articles: int
    memory: tuple[Decision, ...] = ()  # what memory did with each story, before ranking


def build_issue(
    config: Config,
    day: date,
    paths: list[Path] | None = None,
    out_dir: Path | None = None,
    top: int | None = None,
    timings: Timings | None = None,
) -> BuildResult:
    timings = timings or Timings()
    language = config.digest.language
    renderer = Renderer(config)  # templates and labels checked before the long work, not after
    with StateDB(config.state_dir) as state:
        finish_pending(state)  # a write that died after its commit is finished first
        with timings.stage("ingest"):
            raws = collect(config, list(paths or []), state, window_for(config, day))
        with timings.stage("clean"):
            articles = [a for raw in progress(raws, "clean") if (a := clean_or_skip(raw))]
        if not articles:
            raise NoArticlesError(
                f"no usable article among {len(raws)} read: every file was empty, "
                "unreadable or page furniture only (see the warnings above)"
            )
        log.info("%d usable articles of %d read", len(articles), len(raws))
        with timings.stage("summarise"):
            summariser = load_summariser(config.summariser, state)
            articles = summariser.summarise_articles(articles)
        with timings.stage("deduplicate"):
            deduplicator = load_deduplicator(config.dedup, state)
            stories = deduplicator.group(articles, language)
        with timings.stage("memory"):
            memory = Memory(state, config.digest.memory_days, deduplicator)
            memory.check_issues(out_dir or config.out_dir, day)
            decisions = tuple(memory.decide(stories, day, language))
            stories = [d.kept for d in decisions if d.kept is not None]
        if not stories:
            raise NothingNewError(
                f"nothing new: every story was already sent in the last {config.digest.memory_days} "
                "days ([digest] memory_days) and none has new facts",
                decisions,
            )
        with timings.stage("rank"):
            stories = rank_stories(stories, top or config.digest.top)
        with timings.stage("blurb"):
            for story in progress(stories, "blurb"):
                story.language = story_language(story, language)
                story.summary = summariser.summarise_story(memory.news(story))
        issue = make_issue(config, day, stories)
        with timings.stage("render"):
            email = renderer.render(issue)
        with timings.stage("write"):
            # The folder and the memory rows change together, or not at all.
            folder = write_issue(
                issue,
                email,
                out_dir or config.out_dir,
                state,
                lambda db: memory.remember_in(db, day, stories),
            )
    return BuildResult(issue=issue, folder=folder, articles=len(articles), memory=decisions)


def clean_or_skip(raw: RawArticle) -> Article | None:
    """Clean one article; a bug or bad input in one never sinks the others."""
    try:
        return clean_article(raw)
    except Exception as exc:
        log.warning("%s: skipped, could not be cleaned (%s)", raw.origin, exc)
        log.debug("clean failed", exc_info=True)
        return None


def story_language(story: Story, issue_language: str) -> str:
    """The issue's language when any member is in it, else the lead's."""
    if any(m.language == issue_language for m in story.members):
        return issue_language
    return story.lead.language


def make_issue(config: Config, day: date, stories: list[Story]) -> Issue:
    return Issue(
        date=day,
        title=config.digest.title,
        language=config.digest.language,
        stories=tuple(
            IssueStory(
                rank=rank,
                headline=story.headline,
                summary=story.summary,
                language=story.language,
                sources=tuple(SourceRef.from_article(m) for m in story.members),
                update=story.update,
            )
            for rank, story in enumerate(stories, start=1)
        ),
    )
