"""Reading files and folders into raw articles, with real files in tmp_path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from digest.ingest import read_paths


def test_seeds_folder_reads_every_file_in_sorted_order(seeds_dir):
    raws = read_paths([seeds_dir])
    assert [Path(raw.path).name for raw in raws] == sorted(p.name for p in seeds_dir.iterdir())
    assert all(raw.title is None and raw.text for raw in raws)


def test_text_file_keeps_caller_outlet_and_weight(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nBody sentence here.\n", encoding="utf-8")
    [raw] = read_paths([tmp_path / "a.txt"], outlet="Local Paper", weight=2.5)
    assert (raw.outlet, raw.weight, raw.path) == ("Local Paper", 2.5, str(tmp_path / "a.txt"))


def test_json_list_of_articles(tmp_path):
    items = [
        {"title": "Bridge opens", "text": "The bridge opened today.", "url": "https://ex.com/b",
         "published": "2026-11-21T08:30:00Z", "source": "City News"},
        {"title": "Rain", "text": "It rained all day.", "source": {"id": None, "name": "Weather Desk"}},
    ]
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    first, second = read_paths([tmp_path / "items.json"])
    assert (first.title, first.url, first.outlet) == ("Bridge opens", "https://ex.com/b", "City News")
    assert first.published == datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    assert second.outlet == "Weather Desk" and second.published is None


def test_html_page_main_text_title_date_and_site(tmp_path):
    html = """<html><head><title>Bridge opens at last - The Daily</title>
    <meta property="og:site_name" content="The Daily">
    <meta property="article:published_time" content="2026-11-21T10:00:00+01:00">
    <style>p { color: red } .STYLETEXT {}</style><script>var x = "SCRIPTTEXT";</script></head>
    <body><nav>Home | World | Sport</nav><article><h1>Bridge opens at last</h1>
    <p>The new bridge over the river opened to traffic on Saturday after three years of work.</p>
    <script>document.write("INLINESCRIPT")</script>
    <p>Officials said the crossing would cut journey times across the city by twenty minutes.</p>
    </article><footer>Copyright The Daily</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    [raw] = read_paths([tmp_path / "page.html"])
    assert "opened to traffic on Saturday" in raw.text
    assert "twenty minutes" in raw.text
    assert not any(word in raw.text for word in ("SCRIPTTEXT", "INLINESCRIPT", "STYLETEXT", "color"))
    assert raw.outlet == "The Daily"
    assert raw.title.startswith("Bridge opens at last")
    assert raw.published is not None and raw.published.year == 2026
