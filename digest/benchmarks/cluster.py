"""Group the articles of files and folders into stories, and list the stories.

Reads every article under the paths given (as `digest build` does: ingest,
then clean), runs the deduplicator from cold (no embedding cache unless
--cache), and prints JSON: {"stories": [{"headline", "members": [path, ...]}],
"seconds"}, every article in exactly one story, stories in order of their
first article. `seconds` is the deduplication alone (embedding included,
model loading excluded); a per-step breakdown is logged on stderr."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from digest.clean.cleaner import clean_article
from digest.config import Config
from digest.dedup.deduplicator import load_deduplicator
from digest.errors import NoArticlesError
from digest.ingest.files import read_paths
from digest.state import StateDB


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="article files or folders (read recursively)"
    )
    parser.add_argument(
        "--language",
        default=None,
        help="the issue's language, which decides each story's best member (default: [digest] language)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="use the embedding cache in the state folder (default: cold, no cache)",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    articles = [a for raw in read_paths(args.paths) if (a := clean_article(raw))]
    if not articles:
        raise NoArticlesError(f"no usable article under {', '.join(map(str, args.paths))}")
    state = StateDB(config.state_dir) if args.cache else None
    dedup = load_deduplicator(config.dedup, state)
    dedup.encoder.encode(["warm up"])  # load the model outside the timing
    start = time.perf_counter()
    stories = dedup.group(articles, args.language or config.digest.language)
    seconds = time.perf_counter() - start
    report = {
        "stories": [
            {"headline": s.headline, "members": [m.path or m.origin for m in s.members]} for s in stories
        ],
        "seconds": round(seconds, 3),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if state is not None:
        state.close()
    return 0
