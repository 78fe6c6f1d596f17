"""Collect raw articles from the configured sources or the paths given.

Local paths are read by `digest.ingest`. A failure in one source is a
warning naming that source; it never sinks the others.
"""

from __future__ import annotations

import logging
from pathlib import Path

from digest.config import Config, SourceSettings
from digest.errors import NoArticlesError
from digest.ingest import read_paths
from digest.models import RawArticle
from digest.state import StateDB

log = logging.getLogger(__name__)


def collect(config: Config, paths: list[Path], state: StateDB) -> list[RawArticle]:
    """Paths given on the command line win over the configured sources."""
    if paths:
        return read_paths(paths)
    if not config.sources:
        where = config.path or "the config"
        raise NoArticlesError(
            f"nothing to read: give article files or folders, or add [[sources]] to {where}"
        )
    raws: list[RawArticle] = []
    for source in config.sources:
        raws.extend(read_source(source, config, state))
    return raws


def read_source(source: SourceSettings, config: Config, state: StateDB) -> list[RawArticle]:
    if source.path:
        return read_paths([config.resolve(source.path)], outlet=source.name, weight=source.weight)
    log.warning("source %s: web sources are not supported yet; skipped", source.url)
    return []
