"""The message for one recipient: structure, headers, and no CR/LF in any header."""

from __future__ import annotations

from datetime import UTC, date, datetime, timezone
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest
from smtp_server import write_test_issue

from digest.deliver.message import Composer, build_message, message_settings
from digest.deliver.recipients import Recipient
from digest.edition.write import read_issue, write_issue
from digest.errors import ConfigError

DAY = date(2026, 11, 22)
ANN = Recipient("ann@example.org", "Ann")


def unix(text: str) -> str:
    return text.replace("\r\n", "\n")


@pytest.fixture
def compose(make_config):
    """(recipient, **sections) -> the message as the server would parse it."""

    def factory(
        recipient=ANN,
        *,
        title="Top Ten",
        html=None,
        subject=None,
        headline="Rivers rise in the north",
        **sections,
    ):
        sections.setdefault("smtp", {})
        sections["smtp"].setdefault("sender", "Top Ten <news@example.org>")
        config = make_config(**sections)
        folder = write_test_issue(
            config.out_dir, DAY, title=title, html=html, headline=headline, subject=subject
        )
        built = read_issue(folder)
        raw = Composer(built, message_settings(config, built)).message(
            recipient, now=datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
        )
        factory.raw = raw  # the bytes as sent, for the tests of the wire format
        factory.config = config
        return message_from_bytes(raw, policy=policy.default), built

    return factory


def test_text_then_html_both_utf8_and_intact(compose):
    msg, built = compose()
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    # MIME text travels with CRLF line ends, and the last line gets one.
    assert unix(parts[0].get_content()) == built.email.text
    assert unix(parts[1].get_content()) == built.email.html + "\n"
    assert "Caf\u00e9 cr\u00e8me" in parts[0].get_content()


def test_headers(compose):
    msg, _ = compose()
    assert str(msg["From"]) == "Top Ten <news@example.org>"
    assert [a.addr_spec for a in msg["To"].addresses] == ["ann@example.org"]
    assert msg["To"].addresses[0].display_name == "Ann"
    assert msg["Subject"] == "Top Ten \u2014 2026-11-22"
    assert parsedate_to_datetime(msg["Date"]) == datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    assert msg["List-Id"] == '"Top Ten" <top-ten.example.org>'
    assert msg["Message-ID"].startswith("<digest.2026-11-22.") and msg["Message-ID"].endswith("@example.org>")
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None


def test_message_id_is_the_same_for_the_same_issue_and_recipient_only(compose):
    first, _ = compose()
    again, _ = compose()
    other, _ = compose(Recipient("bob@example.org"))
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]


def test_subject_is_the_one_the_build_filled_in_from_the_setting(make_config):
    config = make_config(smtp={"sender": "news@example.org", "subject": "{headline} | {title} {date}"})
    msg = rendered_message(config)
    assert msg["Subject"] == "Rivers rise in the north | Top Ten 2026-11-22"


def rendered_message(config):
    """Build the issue through the real renderer (no models), then compose."""
    from digest.edition.render import Renderer

    story = read_issue(write_test_issue(config.out_dir, DAY)).issue
    built = read_issue(write_issue(story, Renderer(config).render(story), config.out_dir))
    return message_from_bytes(
        Composer(built, message_settings(config, built)).message(ANN), policy=policy.default
    )


def test_one_click_unsubscribe_with_the_address_url_encoded(compose):
    msg, _ = compose(
        Recipient("a+b@example.org"),
        recipients={
            "unsubscribe_url": "https://example.org/unsub?email={email}",
            "unsubscribe_mailto": "leave@example.org",
        },
    )
    assert msg["List-Unsubscribe"] == (
        "<https://example.org/unsub?email=a%2Bb%40example.org>, "
        "<mailto:leave@example.org?subject=unsubscribe%20a%2Bb%40example.org>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mailto_alone_gets_no_one_click_header(compose):
    msg, _ = compose(recipients={"unsubscribe_mailto": "leave@example.org"})
    assert msg["List-Unsubscribe"].strip().startswith("<mailto:leave@example.org?")
    assert msg["List-Unsubscribe-Post"] is None


@pytest.mark.parametrize("field", ["title", "subject", "name"])
def test_no_line_break_from_any_input_reaches_a_header(compose, field):
    evil = "Hi\r\nBcc: victim@example.net\nX-Evil: 1"
    kwargs = {field: evil} if field != "name" else {}
    recipient = Recipient("ann@example.org", evil if field == "name" else "Ann")
    msg, _ = compose(recipient, **kwargs)
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    for name, value in msg.items():
        assert "\n" not in str(value) and "\r" not in str(value), name
    head = compose.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in head and b"\nX-Evil:" not in head
    assert b"\r" not in head.replace(b"\r\n", b"") and b"\n" not in head.replace(b"\r\n", b"")


def test_very_long_html_lines_stay_under_the_smtp_line_limit(compose):
    msg, built = compose(html="<p>" + "word " * 5000 + "</p>")
    assert max(len(line) for line in compose.raw.split(b"\r\n")) <= 998
    assert unix(list(msg.iter_parts())[1].get_content()) == built.email.html + "\n"


def test_missing_sender_names_the_setting(compose):
    with pytest.raises(ConfigError, match=r"smtp\.sender: not set"):
        compose(smtp={"sender": ""})


def test_bad_sender_address_names_the_setting(compose):
    with pytest.raises(ConfigError, match=r"smtp\.sender: 'news at example' is not a valid email address"):
        compose(smtp={"sender": "news at example"})


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "https://example.org/\r\nX: y"]
)
def test_unsubscribe_url_must_be_http(compose, url):
    with pytest.raises(ConfigError, match=r"recipients\.unsubscribe_url: .* is not an http\(s\) URL"):
        compose(recipients={"unsubscribe_url": url})


def test_subject_setting_with_a_newline_gives_a_one_line_subject(make_config):
    config = make_config(smtp={"sender": "news@example.org", "subject": "{title}\nBcc: victim@example.net"})
    msg = rendered_message(config)
    assert msg["Subject"] == "Top Ten Bcc: victim@example.net" and msg["Bcc"] is None


def test_a_line_break_in_the_issue_files_subject_is_removed_and_named(compose, caplog):
    msg, built = compose(subject="Top Ten\r\nBcc: victim@example.net")
    assert msg["Subject"] == "Top Ten Bcc: victim@example.net" and msg["Bcc"] is None
    assert (
        f"{built.folder / 'issue.json'}: the subject 'Top Ten\\r\\nBcc: victim@example.net' held a line break"
        in caplog.text
    )


def test_build_message_gives_the_same_message_as_an_object(compose):
    msg, built = compose()
    settings = message_settings(compose.config, built)
    obj = build_message(
        built,
        settings,
        Recipient("ann@example.org", "Ann"),
        now=datetime(2026, 11, 22, 7, 0, tzinfo=UTC),
    )
    assert obj["Message-ID"] == msg["Message-ID"] and obj["List-Id"] == msg["List-Id"]
    assert [p.get_content() for p in obj.iter_parts()] == [p.get_content() for p in msg.iter_parts()]
