"""Reading files and folders into raw articles, with real files in tmp_path."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.clean.cleaner import clean_article
from digest.ingest.files import MAX_FILE_BYTES, parse_published, read_html, read_paths


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
        {
            "title": "Bridge opens",
            "text": "The bridge opened today.",
            "url": "https://ex.com/b",
            "published": "2026-11-21T08:30:00Z",
            "source": "City News",
        },
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


# --- bad input: one warning naming the file, the rest still read ----------------

GOOD = "Bridge reopens\n\nThe old bridge reopened to traffic on Saturday.\n"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def warnings_about(caplog, path: Path) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and str(path) in r.getMessage()
    ]


def test_bad_files_are_skipped_with_one_warning_each_and_the_rest_still_read(tmp_path, caplog):
    good = write(tmp_path, "b_good.txt", GOOD)
    bad = [
        write(tmp_path, "a_empty.txt", ""),
        write(tmp_path, "c_blank.md", "  \n\n\t\n"),
        write(tmp_path, "d_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
        write(tmp_path, "e_broken.json", '{"title": "A",\n "text": "B",\n oops}\n'),
    ]
    raws = read_paths([tmp_path])
    assert [raw.path for raw in raws] == [str(good)]
    for path in bad:
        assert len(warnings_about(caplog, path)) == 1, path
    assert "Traceback" not in caplog.text


def test_invalid_json_warning_names_the_line(tmp_path, caplog):
    broken = '[\n  {"title": "A", "text": "B"},\n  {"title": "C" "text": "D"}\n]\n'
    path = write(tmp_path, "broken.json", broken)
    assert read_paths([path]) == []
    [message] = warnings_about(caplog, path)
    assert "line 3" in message


def test_json_items_without_text_are_skipped_and_named(tmp_path, caplog):
    items = [{"title": "No body"}, "not an object", {"title": "Ok", "text": "Body text here."}]
    path = write(tmp_path, "items.json", json.dumps(items))
    [raw] = read_paths([path])
    assert raw.title == "Ok"
    messages = warnings_about(caplog, path)
    assert any("item 1" in m for m in messages) and any("item 2" in m for m in messages)


def test_cp1252_file_is_decoded(tmp_path, caplog):
    text = "Caf\u00e9 owners say \u201cprices\u201d rose \u2014 the mayor\u2019s plan failed.\n"
    path = write(tmp_path, "cp1252.txt", text.encode("cp1252"))
    [raw] = read_paths([path])
    assert raw.text == text
    assert len(warnings_about(caplog, path)) == 1


def test_latin1_file_is_decoded(tmp_path):
    text = "Le caf\u00e9 du coin a ferm\u00e9 apr\u00e8s trente ans, d\u00e9plorent les habitu\u00e9s.\n"
    path = write(tmp_path, "latin1.txt", text.encode("latin-1"))
    [raw] = read_paths([path])
    assert raw.text == text


def test_non_western_legacy_encoding_is_detected(tmp_path):
    text = (
        "\u041c\u044d\u0440 \u0433\u043e\u0440\u043e\u0434\u0430 \u043e\u0442\u043a\u0440\u044b\u043b "
        "\u043d\u043e\u0432\u044b\u0439 \u043c\u043e\u0441\u0442 \u0447\u0435\u0440\u0435\u0437 "
        "\u0440\u0435\u043a\u0443 \u0432 \u0441\u0443\u0431\u0431\u043e\u0442\u0443.\n"
    ) * 5
    path = write(tmp_path, "cp1251.txt", text.encode("cp1251"))
    [raw] = read_paths([path])
    assert raw.text == text


def test_mojibake_file_is_repaired_by_the_cleaner(tmp_path):
    body = "The army\u2019s \u201cpartial mobilisation\u201d began on Wednesday.\n"
    mojibake = body.encode("utf-8").decode("latin-1")  # UTF-8 once read as Latin-1
    path = write(tmp_path, "mojibake.txt", f"Mobilisation begins\n\n{mojibake}")
    [raw] = read_paths([path])
    assert "The army\u00e2" in raw.text  # still broken after reading
    assert clean_article(raw).text == body.strip()


def test_huge_file_is_truncated_with_a_warning(tmp_path, caplog):
    line = "The council met again on Monday and talked about the harbour for an hour.\n"
    path = write(tmp_path, "huge.txt", "Endless minutes\n\n" + line * (20 * 2**20 // len(line) + 1))
    assert path.stat().st_size >= 20 * 2**20
    [raw] = read_paths([path])
    assert len(raw.text.encode()) <= MAX_FILE_BYTES
    assert raw.text.endswith(line)  # cut at a line end
    [message] = warnings_about(caplog, path)
    assert "truncated" in message


def test_html_scripts_and_styles_never_reach_the_text(tmp_path):
    html = """<!doctype html><html><head><style>body { font: SECRETSTYLE }</style>
    <script>window.SECRETSCRIPT = 1;</script><noscript>SECRETNOSCRIPT</noscript></head>
    <body><script type="application/ld+json">{"SECRETJSONLD": true}</script>
    <h1>Floods close the old town</h1>
    <p>Heavy rain flooded the old town on Monday night and forced three hundred people from their homes.</p>
    <style>.x { color: SECRETINLINESTYLE }</style>
    <p>The river rose by two metres in six hours, the highest level recorded since the year 2002.</p>
    <script>track("SECRETTRACKER")</script></body></html>"""
    path = write(tmp_path, "floods.htm", html)
    [raw] = read_paths([path])
    assert "three hundred people" in raw.text and "two metres" in raw.text
    assert "SECRET" not in raw.text and "SECRET" not in (raw.title or "")


def test_html_without_text_is_a_warning(tmp_path, caplog):
    path = write(tmp_path, "empty.html", "<html><head><script>var a = 1;</script></head><body></body></html>")
    assert read_paths([path]) == []
    assert len(warnings_about(caplog, path)) == 1


def test_folder_without_articles_is_named(tmp_path, caplog):
    folder = tmp_path / "nothing"
    write(folder, "notes.csv", "a,b\n")
    write(folder, "image.png", b"\x89PNG\r\n")
    assert read_paths([folder]) == []
    assert warnings_about(caplog, folder)
    assert not warnings_about(caplog, folder / "notes.csv")  # ignored quietly inside a folder


def test_unknown_extension_named_explicitly_is_a_warning(tmp_path, caplog):
    path = write(tmp_path, "notes.csv", "a,b\n")
    assert read_paths([path]) == []
    assert len(warnings_about(caplog, path)) == 1


def test_missing_path_is_a_warning(tmp_path, caplog):
    assert read_paths([tmp_path / "nope.txt"]) == []
    assert len(warnings_about(caplog, tmp_path / "nope.txt")) == 1


def test_folders_are_read_recursively_sorted_without_hidden_files(tmp_path):
    write(tmp_path, "b/2.txt", GOOD)
    write(tmp_path, "a/1.md", "# Title\n\nSome *text* with a [link](https://x.org).\n")
    write(tmp_path, "b/.hidden.txt", GOOD)
    write(tmp_path, ".git/x.txt", GOOD)
    raws = read_paths([tmp_path])
    assert [Path(raw.path).relative_to(tmp_path).as_posix() for raw in raws] == ["a/1.md", "b/2.txt"]
    assert raws[0].text == "Title\n\nSome text with a link.\n"


def test_utf16_file_with_bom_is_text_not_binary(tmp_path):
    path = write(tmp_path, "utf16.txt", GOOD.encode("utf-16"))
    [raw] = read_paths([path])
    assert raw.text == GOOD


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-21T08:30:00+01:00", datetime(2026, 11, 21, 7, 30, tzinfo=UTC)),
        ("2026-11-21", datetime(2026, 11, 21, tzinfo=UTC)),
        ("Sat, 21 Nov 2026 08:30:00 GMT", datetime(2026, 11, 21, 8, 30, tzinfo=UTC)),
        (1_795_000_000, datetime.fromtimestamp(1_795_000_000, UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_published_dates(value, expected):
    assert parse_published(value) == expected


# --- a whole news page, through the real extractor and the cleaner ---------------

NEWS_PAGE = Path(__file__).parent / "data" / "ingest" / "news_page.html"


def test_news_page_gives_a_clean_article_with_its_origin():
    [raw] = read_paths([NEWS_PAGE])
    assert raw.url == "https://harbour-gazette.example/news/ferry-approved"  # canonical link
    assert raw.outlet == "The Harbour Gazette"
    assert raw.published == datetime(2026, 11, 20, 17, 45, tzinfo=UTC)
    article = clean_article(raw)
    assert article.title == "Ferry service to the islands approved"
    paragraphs = article.text.split("\n\n")
    assert [p.split()[:3] for p in paragraphs] == [
        ["The", "town", "council"],
        ['"We', "have", "waited"],
        ["The", "service", "will"],
        # The embedded tweet is a quotation in the article's language: it stays, signed.
        ["Great", "day", "for"],
        ["\u2014", "Island", "News"],
        ["The", "operator,", "Coastal"],
    ]
    assert not re.search(r"SECRET|Sign up|READ MORE|Related|Reply|Reuters|Copyright", article.text)


def test_read_html_keeps_the_url_it_was_given():
    raw = read_html(
        NEWS_PAGE.read_text(encoding="utf-8"), url="https://mirror.example/ferry", outlet="Mirror", weight=0.5
    )
    assert (raw.url, raw.path) == ("https://mirror.example/ferry", None)
    assert (raw.outlet, raw.weight) == ("Mirror", 0.5)


def test_json_item_with_html_instead_of_text(tmp_path, caplog):
    page = NEWS_PAGE.read_text(encoding="utf-8")
    empty = "<html><body><script>var a = 1;</script></body></html>"
    items = [{"html": page, "source": "Wire"}, {"html": empty}]
    path = write(tmp_path, "pages.json", json.dumps(items))
    [raw] = read_paths([path])
    assert raw.outlet == "Wire" and raw.title == "Ferry service to the islands approved"
    assert "four crossings a day" in raw.text
    assert any("item 2" in m for m in warnings_about(caplog, path))


def test_markdown_front_matter_gives_title_and_date(tmp_path):
    text = (
        '---\ntitle: "Bridge reopens"\ndate: 2026-11-21T09:00:00+00:00\ntags: [city]\n---\n'
        "![photo](bridge.jpg)\n\nThe **old** bridge reopened on [Saturday](https://x.org).\n"
    )
    [raw] = read_paths([write(tmp_path, "post.md", text)])
    assert raw.title == "Bridge reopens"
    assert raw.published == datetime(2026, 11, 21, 9, tzinfo=UTC)
    assert raw.text.strip() == "The old bridge reopened on Saturday."


def test_page_source_saved_as_txt_is_read_as_html(tmp_path):
    path = write(tmp_path, "saved-page.txt", NEWS_PAGE.read_text(encoding="utf-8"))
    [raw] = read_paths([path])
    assert raw.title == "Ferry service to the islands approved"
    assert "<" not in raw.text and "SECRET" not in raw.text


def test_folder_whose_files_are_all_bad_is_named_too(tmp_path, caplog):
    folder = tmp_path / "bad"
    write(folder, "a.txt", "")
    write(folder, "b.json", "{oops")
    assert read_paths([folder]) == []
    [message] = warnings_about(caplog, folder)[-1:]
    assert message.startswith(f"{folder}: none of its 2 article files")


def test_a_file_named_twice_is_read_once(seeds_dir, caplog):
    first = sorted(seeds_dir.iterdir())[0]
    raws = read_paths([first, seeds_dir, seeds_dir])
    assert len(raws) == 5
    assert raws[0].path == str(first)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def split_page(second_block_class: str) -> str:
    first = "".join(
        f"<p>The harbour board met on Monday to discuss the new ferry timetable, part {n}, "
        "and agreed on four crossings a day in winter.</p>"
        for n in range(1, 4)
    )
    second = "".join(
        f"<p>Later in the meeting the board turned to the dredging contract, item {n}, "
        "which had been delayed by the storms.</p>"
        for n in range(1, 4)
    )
    return (
        "<html><head><title>Harbour board meets</title></head><body><main>"
        f'<div class="grid"><div class="article__body">{first}</div><aside>Most popular</aside></div>'
        '<div class="ad"><span>Advertisement</span></div>'
        f'<div class="grid"><div class="{second_block_class}">{second}</div></div>'
        "</main></body></html>"
    )


def test_an_article_body_split_in_two_blocks_is_read_whole():
    raw = read_html(split_page("article__body"))
    assert raw is not None
    assert "part 1" in raw.text and "item 3" in raw.text


def test_a_block_of_another_class_is_not_joined_to_the_body():
    from digest.ingest.split_body import join_split_body

    assert join_split_body(split_page("article__body")) is not None
    assert join_split_body(split_page("promo")) is None
