"""One aggregator feed, one event: a shared outlet never splits a story (real loopback HTTP server)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from http_server import LocalServer, Reply, http_server

from digest.clean.cleaner import clean_article
from digest.config import DedupSettings
from digest.dedup.deduplicator import load_deduplicator
from digest.edition.rank import rank_stories
from digest.ingest.sources import collect
from digest.ingest.window import window_for
from digest.state import StateDB

DAY = date(2026, 3, 10)
FAST = {"timeout": 2.0, "retries": 1, "backoff": 0.01, "max_bytes": 2_000_000, "max_redirects": 3}


def atom_of(seeds: list[Path], base: str) -> bytes:
    """The seed articles as entries of one Atom feed whose entries name no outlet of their own."""
    entries = []
    for n, path in enumerate(seeds):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        entries.append(
            f"<entry><title>{escape(lines[0])}</title><id>urn:seed:{n}</id>"
            f'<link href="{base}/seed/{n}"/><published>2026-03-10T0{n + 6}:00:00Z</published>'
            f'<content type="text">{escape(chr(10).join(lines[1:]))}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>World Wire</title><id>urn:world-wire</id><updated>2026-03-10T12:00:00Z</updated>"
        + "".join(entries)
        + "</feed>"
    ).encode()


def test_the_seeds_as_one_aggregator_feed_are_one_story_of_five(
    http_server: LocalServer,
    make_config,
    seeds_dir: Path,
) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    url = http_server.add(
        "/wire.xml", Reply(body=atom_of(seeds, http_server.base_url), content_type="application/atom+xml")
    )
    config = make_config(sources=[{"url": url}], fetch=FAST)
    with StateDB(config.state_dir) as state:
        raws = collect(config, [], state, window_for(config, DAY))
    articles = [a for raw in raws if (a := clean_article(raw))]
    assert len(articles) == 5
    assert {a.outlet for a in articles} == {"World Wire"}  # the feed names no outlet per entry
    stories = load_deduplicator(DedupSettings(), None).group(articles, "en")
    assert len(stories) == 1 and len(stories[0].members) == 5
    # coverage for ranking counts distinct outlets: five entries of one feed are one outlet
    assert stories[0].outlets == {"World Wire"}
    assert rank_stories(stories, 10) == stories
