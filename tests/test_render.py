"""The email renderer: structure, inlined CSS, escaping, links, the text part,
template overrides and template errors. Runs on a hand-written ten-story Issue."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from browser import artifact, chromium, needs_chromium
from sample_issue import HEADLINES, sample_issue

from digest.edition.render import Renderer, safe_url
from digest.errors import ConfigError, DigestError
from digest.models import SourceRef


@pytest.fixture
def config(make_config):
    return make_config()


@pytest.fixture
def email(config):
    return Renderer(config).render(sample_issue())


def parse(html: str):
    return lxml.html.document_fromstring(html)


def test_ten_numbered_stories_with_headlines_summaries_and_counts(email):
    doc = parse(email.html)
    ranks = [td.text_content().strip() for td in doc.find_class("rank")]
    assert ranks == [str(k) for k in range(1, 11)]
    headlines = [h.text_content().strip() for h in doc.find_class("headline")]
    assert headlines == list(HEADLINES)
    assert len(doc.find_class("summary")) == 10
    counts = [c.text_content().strip() for c in doc.find_class("count")]
    # story k has 1 + k % 4 sources (see sample_issue)
    assert counts[0] == "2 sources:" and counts[3] == "1 source:" and counts[2] == "4 sources:"


def test_html_is_small_and_mail_client_safe(email):
    assert len(email.html.encode("utf-8")) < 100_000
    doc = parse(email.html)
    assert doc.get("lang") == "en"
    tables = doc.iter("table")
    assert all(t.get("role") == "presentation" for t in tables)
    assert not doc.xpath("//link | //script | //img[not(@alt)] | //*[@src]")
    assert doc.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]


def test_css_is_inlined_but_the_dark_mode_media_block(email):
    doc = parse(email.html)
    styles = doc.xpath("//style")
    assert len(styles) == 1
    css = styles[0].text.strip()
    assert css.startswith("@media (prefers-color-scheme: dark)")
    assert css.count("@media") == 1
    assert media_block_end(css) == len(css)  # nothing but the media block is left
    for element in doc.xpath("//*[@class]"):
        assert element.get("style"), f"{element.tag}.{element.get('class')} has no inline style"


def media_block_end(css: str) -> int:
    """Index just past the brace that closes the first block."""
    depth = 0
    for index, char in enumerate(css):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "}" and depth == 0:
            return index + 1
    return -1


def test_hidden_preheader_holds_the_first_headlines(email):
    (pre,) = parse(email.html).find_class("preheader")
    assert "display:none" in pre.get("style").replace(" ", "")
    assert HEADLINES[0] in pre.text_content() and HEADLINES[2] in pre.text_content()


def test_update_story_is_marked_developing(email):
    doc = parse(email.html)
    badges = doc.find_class("badge")
    assert len(badges) == 1
    assert badges[0].text_content() == "Developing"
    story = badges[0].getparent()
    assert HEADLINES[1] in story.text_content()
    assert "2. [DEVELOPING] " + HEADLINES[1] in email.text


def test_everything_is_escaped_and_only_http_links_are_emitted(config):
    issue = sample_issue(2)
    evil = replace(
        issue.stories[0],
        headline='<script>alert("x")</script> & friends',
        summary="<img src=x onerror=alert(1)>",
        sources=(
            SourceRef("t1", "javascript:alert(1)", None, "Evil", "en", None),
            SourceRef("t2", "https://ok.example/a?b=1&c=2", None, "Good", "en", None),
            SourceRef("t3", None, "/data/articles/local.txt", None, "en", None),
            SourceRef("t4", "data:text/html,<b>x</b>", None, '"><b>Quote', "en", None),
            SourceRef("t5", "https://bad.example/a\r\nb", None, "Broken", "en", None),
        ),
    )
    email = Renderer(config).render(replace(issue, stories=(evil, *issue.stories[1:])))
    doc = parse(email.html)
    assert not doc.xpath("//script | //img | //b")
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    first = doc.xpath("//td[@class='body']")[0]
    assert first.xpath(".//a/@href") == ["https://ok.example/a?b=1&c=2"]
    assert all(href.startswith("https://") for href in doc.xpath("//a/@href"))
    sources = first.text_content()
    for plain in ("Evil", "t3", '"><b>Quote', "Broken"):
        assert plain in sources
    assert "javascript:" not in email.text and "data:" not in email.text
    assert "https://ok.example/a?b=1&c=2" in email.text


def test_local_files_are_named_by_their_headline_one_per_line(config):
    issue = sample_issue(1)
    long_title = "According to the government, " + "very " * 30 + "many soldiers surrendered"
    story = replace(
        issue.stories[0],
        sources=(
            SourceRef("Short headline", None, "seeds/000_f2d29ecf937f61da.txt", None, "en", None),
            SourceRef(long_title, None, "seeds/001.txt", None, "en", None),
            SourceRef("L'Ukraine a mis en place une hotline", None, "seeds/004.txt", None, "fr", None),
        ),
    )
    email = Renderer(config).render(replace(issue, stories=(story,)))
    items = [li.text_content().strip() for li in parse(email.html).xpath("//ul[@class='source-list']/li")]
    assert items[0] == "Short headline"
    assert items[1].endswith("\u2026") and len(items[1]) <= 91 and items[1].startswith("According to")
    assert items[2] == "L'Ukraine a mis en place une hotline (FR)"
    assert "000_f2d29ecf937f61da" not in email.html and "000_f2d29ecf937f61da" not in email.text
    assert "    - L'Ukraine a mis en place une hotline (FR)" in email.text


def test_text_part_mirrors_the_html(email):
    text = email.text
    for k, headline in enumerate(HEADLINES, start=1):
        assert re.search(rf"^{k}\. (\[DEVELOPING\] )?{re.escape(headline)}$", text, re.M)
    assert "https://www.reuters.example/2026/11/22/story-1" in text
    assert "<" not in text and "&amp;" not in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_subject_follows_the_setting_and_has_no_line_breaks(make_config):
    default = Renderer(make_config()).render(sample_issue(1))
    assert default.subject == "Top Ten \u2014 2026-11-22"
    custom = make_config(smtp={"subject": "{title}: {headline}"})
    email = Renderer(custom).render(sample_issue(1, title="Daily\r\nBcc: x@example.com"))
    assert "\r" not in email.subject and "\n" not in email.subject
    assert email.subject == f"Daily Bcc: x@example.com: {HEADLINES[0]}"


def test_view_in_browser_link_only_with_archive_url(make_config, email):
    assert "View this issue in your browser" not in email.html
    config = make_config(digest={"archive_url": "https://news.example.org/archive/"})
    linked = Renderer(config).render(sample_issue())
    links = parse(linked.html).xpath("//a[contains(., 'browser')]/@href")
    assert links == ["https://news.example.org/archive/2026-11-22/"]
    assert "View this issue in your browser: https://news.example.org/archive/2026-11-22/" in linked.text


def test_archive_url_must_be_http(make_config):
    config = make_config(digest={"archive_url": "javascript:alert(1)"})
    with pytest.raises(ConfigError, match=r"digest\.archive_url"):
        Renderer(config).render(sample_issue(1))


def test_story_language_is_marked(config):
    issue = sample_issue(1)
    french = replace(issue.stories[0], language="fr", headline="Le budget adopt\u00e9")
    email = Renderer(config).render(replace(issue, stories=(french,)))
    assert parse(email.html).xpath("//td[@lang='fr']//h2")[0].text_content() == "Le budget adopt\u00e9"


def test_words_and_date_follow_the_issue_language(config):
    issue = replace(sample_issue(3), language="fr")
    email = Renderer(config).render(issue)
    doc = parse(email.html)
    assert doc.get("lang") == "fr"
    assert doc.find_class("dateline")[0].text_content() == "dimanche 22 novembre 2026"
    assert doc.find_class("kicker")[0].text_content() == "La journ\u00e9e en 3 sujets"
    assert doc.find_class("badge")[0].text_content() == "En cours"
    assert "    2 sources:" in email.text
    assert "[EN COURS]" in email.text
    german = Renderer(config).render(replace(sample_issue(1), language="de-AT"))
    assert "Sonntag, 22. November 2026" in german.text and "    2 Quellen:" in german.text


def test_unknown_language_falls_back_to_english_words(config):
    email = Renderer(config).render(replace(sample_issue(1), language="sw"))
    assert "Sunday 22 November 2026" in email.text
    assert parse(email.html).get("lang") == "sw"


def test_user_labels_override_single_words(make_config, tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "labels.toml").write_text('[en]\ndeveloping = "Update"\n[fr]\nkicker_one = "Un sujet"\n')
    config = make_config(digest={"templates": str(folder)})
    email = Renderer(config).render(sample_issue(3))
    assert parse(email.html).find_class("badge")[0].text_content() == "Update"
    assert "The day in 3 stories" in email.html  # the other words still come from the built-in file
    french = Renderer(config).render(replace(sample_issue(1), language="fr"))
    assert parse(french.html).find_class("kicker")[0].text_content() == "Un sujet"


def test_broken_labels_file_is_named(make_config, tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "labels.toml").write_text("[en\n")
    with pytest.raises(DigestError, match=r"mine/labels\.toml: not valid TOML"):
        Renderer(make_config(digest={"templates": str(folder)}))


def test_an_issue_without_stories_still_renders(config):
    email = Renderer(config).render(sample_issue(0))
    assert "No stories today." in email.html and "No stories today." in email.text


def test_user_folder_overrides_a_template_by_name(make_config, tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "email.txt").write_text("{{ title }} has {{ stories|length }} stories\n")
    email = Renderer(make_config(digest={"templates": str(folder)})).render(sample_issue())
    assert email.text == "Top Ten has 10 stories\n"
    assert HEADLINES[0] in email.html  # email.html still comes from the built-in folder


def test_user_html_template_is_autoescaped(make_config, tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "email.html").write_text("<html><body><p>{{ stories[0].headline }}</p></body></html>")
    issue = sample_issue(1)
    issue = replace(issue, stories=(replace(issue.stories[0], headline="<b>bold</b>"),))
    email = Renderer(make_config(digest={"templates": str(folder)})).render(issue)
    assert "&lt;b&gt;bold&lt;/b&gt;" in email.html


def test_template_syntax_error_names_the_file_and_line(make_config, tmp_path: Path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "email.html").write_text("<p>fine</p>\n<p>{% for story in stories %}</p>\n")
    with pytest.raises(DigestError, match=r"broken/email\.html:2: template syntax error"):
        Renderer(make_config(digest={"templates": str(folder)})).render(sample_issue(1))


def test_unknown_variable_names_the_file_and_line(make_config, tmp_path: Path):
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "email.txt").write_text("line one\n{{ titel }}\n")
    with pytest.raises(DigestError, match=r"typo/email\.txt:2: template error: 'titel' is undefined"):
        Renderer(make_config(digest={"templates": str(folder)})).render(sample_issue(1))


def test_missing_template_folder_is_a_config_error(make_config, tmp_path: Path):
    with pytest.raises(ConfigError, match=r"digest\.templates"):
        Renderer(make_config(digest={"templates": str(tmp_path / "nowhere")}))


@pytest.mark.parametrize(
    "url, ok",
    [  # ok: the URL is kept, else None
        ("https://example.com/a", True),
        ("http://example.com", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        ("mailto:a@b.c", False),
        ("ftp://example.com", False),
        ("https://", False),
        ("//example.com/x", False),
        ("/etc/passwd", False),
        ("https://exa mple.com", False),
        ("https://example.com/\nx", False),
        (None, False),
        ("", False),
    ],
)
def test_safe_url(url, ok):
    assert safe_url(url) == (url if ok else None)


# --- in a real browser ----------------------------------------------------------

CONTRAST_JS = """() => {
  // WCAG relative luminance and contrast of every visible text against the
  // first opaque background behind it.
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.opacity === "0") continue;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push({tag: el.tagName, cls: el.className, text: el.textContent.trim().slice(0, 30), ratio});
  }
  return out;
}"""


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_to_1(config, tmp_path, scheme):
    issue = sample_issue()
    email = Renderer(make_archived(config)).render(issue)
    page_file = tmp_path / "email.html"
    page_file.write_text(email.html, encoding="utf-8")
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.emulate_media(color_scheme=scheme)
        page.goto(page_file.as_uri())
        page.screenshot(path=artifact(f"email-{scheme}.png"), full_page=True)
        texts = page.evaluate(CONTRAST_JS)
    kinds = {t["cls"] for t in texts}
    assert {
        "title",
        "kicker",
        "dateline",
        "intro card",
        "headline",
        "summary",
        "sources",
        "count",
        "badge",
        "rank",
        "footer",
    } <= kinds
    assert any(t["tag"] == "A" for t in texts)  # the links too
    low = [t for t in texts if t["ratio"] < 4.5]
    assert not low, f"contrast under 4.5:1 in {scheme} mode: {low}"


def make_archived(config):
    """The config with an archive URL, so the 'view in browser' link is checked too."""
    return replace(config, digest=replace(config.digest, archive_url="https://news.example.org/"))


def test_link_text_is_meaningful(make_config):
    email = Renderer(make_archived(make_config())).render(sample_issue())
    texts = [a.text_content().strip() for a in parse(email.html).iter("a")]
    assert texts
    for text in texts:
        assert len(text) >= 3 and text.lower() not in {"here", "click here", "link", "more", "read more"}
        assert not text.startswith(("http://", "https://"))


def test_a_source_of_undetermined_language_gets_no_badge(config):
    issue = sample_issue(2)
    story = issue.stories[1]
    first, *rest = story.sources
    sources = (replace(first, language="und"), *(replace(s, language="de") for s in rest))
    email = Renderer(config).render(
        replace(issue, stories=(issue.stories[0], replace(story, sources=sources)))
    )
    assert "(UND)" not in email.html and "(UND)" not in email.text
    assert "(DE)" in email.text  # the badge still shows for a known language
