"""The unsubscribe link in the email's body: each reader's own, in the footer of
both parts, sent through a real aiosmtpd and followed to a real `digest serve`;
never the raw placeholder in the archive, the preview or its .eml; none at all
when no unsubscribe setting is made."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from email import policy
from email.message import EmailMessage
from html import escape as html_escape
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from reader_site import SECRET, request
from smtp_server import Mailbox, smtp_server

from digest.config import Config
from digest.deliver.body import ReaderBody, encode_body
from digest.deliver.message import list_key
from digest.deliver.readers import SUBSCRIBED, UNSUBSCRIBED, Readers
from digest.deliver.send import deliver
from digest.deliver.tokens import UNSUBSCRIBE, Signer
from digest.edition.render import Renderer, make_environment
from digest.edition.unsubscribe import PLACEHOLDER, with_link
from digest.edition.write import write_issue
from digest.errors import ConfigError
from digest.models import Issue, IssueStory, RenderedEmail, SourceRef
from digest.state import StateDB
from digest.web.archive import write_site
from digest.web.preview import PreviewSite, make_preview_app
from digest.web.runner import background
from digest.web.serve import make_app, make_site

DAY = date(2026, 11, 22)
SENDER = "Top Ten <news@example.org>"
ANNA, BEN = "anna@example.com", "ben.o'neil+news@example.net"
LINK = re.compile(r'href="([^"]*)"[^>]*>Unsubscribe</a>')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def small_issue(language: str = "en") -> Issue:
    source = SourceRef(
        title="Rivers rise in the north",
        url="https://example.org/rivers",
        path=None,
        outlet="Example",
        language=language,
        published=None,
    )
    story = IssueStory(
        rank=1,
        headline="Rivers rise in the north",
        summary="Water is high. Roads are closed near the bridge.",
        language=language,
        sources=(source,),
    )
    return Issue(date=DAY, title="Top Ten", language=language, stories=(story,))


def build(config: Config, language: str = "en") -> None:
    """What `digest build` writes, rendered by the real templates (no models needed)."""
    issue = small_issue(language)
    write_issue(issue, Renderer(config).render(issue), config.out_dir)


def parts(message: EmailMessage) -> tuple[str, str]:
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    return html.get_content(), text.get_content()


def html_link(html: str) -> str:
    (link,) = LINK.findall(html)
    return unescape(link)


def text_link(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line.startswith("Unsubscribe: ")]
    return line.removeprefix("Unsubscribe: ")


@pytest.fixture
def reader_site(make_config, monkeypatch) -> Iterator:
    """start(**recipients) -> (config, base URL, mailbox): `digest serve` and an SMTP server."""
    monkeypatch.setenv("DIGEST_WEB_SECRET", SECRET)
    with ExitStack() as stack:

        def start(**recipients):
            box = Mailbox()
            server = stack.enter_context(smtp_server(box))
            port = free_port()
            config = make_config(
                smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER, "retry_delay": 0.01},
                recipients={"to": [ANNA, BEN], **recipients},
                web={"base_url": f"http://127.0.0.1:{port}"},
            )
            url = stack.enter_context(background(make_app(make_site(config)), port=port))
            return config, url, box

        yield start


def test_each_reader_gets_their_own_link_and_it_unsubscribes_only_them(reader_site):
    config, url, box = reader_site()
    build(config)
    assert deliver(config, DAY).sent == 2
    links = {}
    for received in box.received:
        (reader,) = received.rcpt_tos
        message = received.message
        html, text = parts(message)
        assert PLACEHOLDER not in html and PLACEHOLDER not in text
        link = html_link(html)
        assert link == text_link(text)
        # The body's link is the header's: one link per reader, wherever a client looks.
        assert message["List-Unsubscribe"] == f"<{link}>"
        assert link.startswith(url + "unsubscribe?token=")
        assert "anna" not in link and "ben" not in link  # no address readable in the URL
        links[reader] = link
    assert set(links) == {ANNA, BEN} and links[ANNA] != links[BEN]
    other = {ANNA: BEN, BEN: ANNA}
    for received in box.received:
        html, text = parts(received.message)
        mine = received.rcpt_tos[0]
        assert links[other[mine]] not in html and links[other[mine]] not in text

    # Ben's link, followed as a mail client does it (RFC 8058 one-click), unsubscribes Ben alone.
    answer = request(
        links[BEN],
        "POST",
        "List-Unsubscribe=One-Click",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    with StateDB(config.state_dir) as state:
        readers = Readers(state)
        ben, anna = readers.get(BEN), readers.get(ANNA)
    assert ben is not None and ben.status == UNSUBSCRIBED
    assert anna is None or anna.status == SUBSCRIBED

    next_day = date(2026, 11, 23)
    issue = replace(small_issue(), date=next_day)
    write_issue(issue, Renderer(config).render(issue), config.out_dir)
    box.received.clear()
    assert deliver(config, next_day).sent == 1
    assert [r.rcpt_tos for r in box.received] == [(ANNA,)]


def test_the_editors_own_url_is_filled_in_and_escaped_in_html(make_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(
            smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER},
            recipients={
                "to": [ANNA, BEN],
                "unsubscribe_url": "https://lists.example.org/out?list=top&who={email}",
            },
        )
        build(config)
        assert deliver(config, DAY).sent == 2
    for received in box.received:
        html, text = parts(received.message)
        expected = "https://lists.example.org/out?list=top&who=" + quote(received.rcpt_tos[0], safe="")
        assert html_link(html) == expected == text_link(text)
        assert "out?list=top&amp;who=" in html  # `&` escaped in the HTML part, not in the text
        assert parse_qs(urlsplit(expected).query)["who"] == [received.rcpt_tos[0]]


def test_without_an_unsubscribe_setting_no_link_appears(make_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(
            smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER}, recipients={"to": [ANNA]}
        )
        build(config)
        assert deliver(config, DAY).sent == 1
    (received,) = box.received
    html, text = parts(received.message)
    for part in (html, text):
        assert "Unsubscribe" not in part and "unsubscribe" not in part and ".invalid" not in part
    assert received.message["List-Unsubscribe"] is None


def test_the_label_is_in_the_issues_language(make_config):
    config = make_config(recipients={"unsubscribe_url": "https://lists.example.org/out?e={email}"})
    rendered = Renderer(config).render(small_issue("fr"))
    assert f'<a href="{PLACEHOLDER}"' in rendered.html and ">Se désabonner</a>" in rendered.html
    assert f"Se désabonner: {PLACEHOLDER}" in rendered.text


def test_archive_and_preview_never_show_the_placeholder(reader_site):
    config, url, _box = reader_site()
    build(config)

    site = write_site(config, config.out_dir.parent / "site")
    assert len(site) == 1
    for name in ("index.html", "email.html", "email.txt"):
        page = (config.out_dir.parent / "site" / DAY.isoformat() / name).read_text(encoding="utf-8")
        assert PLACEHOLDER not in page and ".invalid" not in page and "Unsubscribe" not in page
        assert "Rivers rise in the north" in page
    archived = (config.out_dir.parent / "site" / DAY.isoformat() / "index.html").read_text(encoding="utf-8")
    assert 'class="unsubscribe"' not in archived  # its paragraph went with the link

    preview = PreviewSite(config, make_environment(config), DAY)
    with background(make_preview_app(preview)) as base:
        host = {"Host": urlsplit(base).netloc}
        html = request(f"{base}out/{DAY.isoformat()}/email.html", headers=host)
        text = request(f"{base}out/{DAY.isoformat()}/email.txt", headers=host)
        eml = request(f"{base}issue/{DAY.isoformat()}/issue.eml", headers=host)
    assert html.status == text.status == eml.status == 200
    assert "sandbox" in html.headers["content-security-policy"]
    message = email.message_from_string(eml.body, policy=policy.default)
    assert isinstance(message, EmailMessage)
    eml_html, eml_text = parts(message)
    for body in (html.body, text.body, eml.body, eml_html, eml_text):
        assert PLACEHOLDER not in body
    # The preview shows what its placeholder subscriber would get: their own link
    # (a fresh token each time one is made, each for the same address and list).
    links = [html_link(html.body), text_link(text.body), html_link(eml_html), text_link(eml_text)]
    signer = Signer(SECRET, list_key("Top Ten", "example.org"))
    for link in links:
        assert link.startswith(url + "unsubscribe?token=")
        token = parse_qs(urlsplit(link).query)["token"][0]
        assert signer.read(token, UNSUBSCRIBE).email == "subscriber@example.invalid"
    assert message["List-Unsubscribe"] == f"<{links[2]}>" and links[2] == links[3]


def test_preview_without_the_secret_shows_no_link_rather_than_the_placeholder(reader_site, monkeypatch):
    config, _url, _box = reader_site()
    build(config)
    monkeypatch.delenv("DIGEST_WEB_SECRET")
    preview = PreviewSite(config, make_environment(config), DAY)
    with background(make_preview_app(preview)) as base:
        host = {"Host": urlsplit(base).netloc}
        pages = [
            request(f"{base}out/{DAY.isoformat()}/{name}", headers=host)
            for name in ("email.html", "email.txt")
        ]
        eml = request(f"{base}issue/{DAY.isoformat()}/issue.eml", headers=host)
    for page in (*pages, eml):
        assert page.status == 200
        assert PLACEHOLDER not in page.body and "Unsubscribe" not in page.body.replace("List-Unsubscribe", "")


def test_an_issue_built_with_a_link_is_not_sent_without_one(make_config, monkeypatch):
    monkeypatch.setenv("DIGEST_WEB_SECRET", SECRET)
    with_web = make_config(
        smtp={"host": "127.0.0.1", "port": 2525, "sender": SENDER},
        web={"base_url": "https://news.example.org"},
    )
    build(with_web)
    without = make_config(
        smtp={"host": "127.0.0.1", "port": 2525, "sender": SENDER}, recipients={"to": [ANNA]}
    )
    with pytest.raises(ConfigError, match=r"email\.html: the issue was built with an unsubscribe link"):
        deliver(without, DAY, dry_run=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/unsubscribe?token=" + "gAAAAABn" * 40,  # longer than a QP line
        "https://lists.example.org/out?list=top&who=ren%C3%A9%40example.org",
        "https://lists.example.org/\u00fcber?x=1",  # non-ASCII: encoded as =XX like the rest
    ],
)
def test_the_fast_body_is_the_body_encoded_whole(url):
    """Only the link lines are encoded per reader; the bytes must be those of encoding
    the whole filled-in body (up to the random MIME boundary)."""
    long_line = "x" * 75 + f' <a href="{PLACEHOLDER}">Unsubscribe</a> trailing space \n'
    rendered = RenderedEmail(
        html=f"<p>Caf\u00e9</p>\n{long_line}<p>end</p>\r\n<p>{PLACEHOLDER}</p>\n",
        text=f"Top Ten\r\n\nUnsubscribe: {PLACEHOLDER}\nbye \u2014 \n",
        subject="s",
    )
    body = ReaderBody(rendered)
    for link in (url, None):
        filled = with_link(rendered, link)
        whole = encode_body(filled.text, filled.html)
        assert unbound(body.fill(link)) == unbound(whole)
    decoded = email.message_from_bytes(body.fill(url), policy=policy.default)
    assert isinstance(decoded, EmailMessage)
    html, text = parts(decoded)
    assert text_link(text) == url
    assert html.count(html_escape(url)) == 2


def unbound(data: bytes) -> bytes:
    return re.sub(rb"={15}\d+==", b"BOUNDARY", data)
