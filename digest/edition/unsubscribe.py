"""The unsubscribe link in the email's footer.

An issue is rendered once, but each reader's unsubscribe link is their own
(a signed token, or the editor's URL with `{email}` filled in) and is known
only when sending. So when a link will exist, the templates put
`PLACEHOLDER` where it goes (`unsubscribe_url`), and whoever shows the email
replaces it: `digest send` with each reader's link, the preview with its
placeholder subscriber's, the public archive by removing the link (no
visitor of a web page has a link of their own).

The placeholder is an https URL in the reserved `.invalid` domain (RFC 2606):
autoescaping, CSS inlining and quoted-printable leave it as it is, and should
it ever escape replacement it is still a harmless link that leads nowhere.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from digest.config import Config
from digest.models import RenderedEmail

PLACEHOLDER = "https://unsubscribe.invalid/digest-reader-link"

# The link element around the placeholder, with its own paragraph when it is alone in one.
_HTML_LINK = re.compile(
    r"<(?P<tag>p|div)\b[^>]*>\s*<a\b[^>]*\bhref=\""
    + re.escape(PLACEHOLDER)
    + r"\"[^>]*>.*?</a>\s*</(?P=tag)>"
    r"|<a\b[^>]*\bhref=\"" + re.escape(PLACEHOLDER) + r"\"[^>]*>.*?</a>",
    re.DOTALL | re.IGNORECASE,
)
_TEXT_LINE = re.compile(r"^[^\n]*" + re.escape(PLACEHOLDER) + r"[^\n]*\n?", re.MULTILINE)


def link_configured(config: Config) -> bool:
    """True when every reader will have a link: `[web] base_url` or `[recipients] unsubscribe_url`."""
    return bool(config.web.base_url or config.recipients.unsubscribe_url)


def has_placeholder(email: RenderedEmail) -> bool:
    return PLACEHOLDER in email.html or PLACEHOLDER in email.text


def fill_html(page: str, url: str) -> str:
    """The HTML with the reader's link (escaped: `&` in a query is `&amp;` in HTML)."""
    return page.replace(PLACEHOLDER, html.escape(url, quote=True))


def fill_text(text: str, url: str) -> str:
    return text.replace(PLACEHOLDER, url)


def strip_html(page: str) -> str:
    """The HTML without the unsubscribe link (its paragraph too, when it has one of its own);
    any placeholder left elsewhere (a custom template printing it as text) goes too."""
    return _HTML_LINK.sub("", page).replace(PLACEHOLDER, "")


def strip_text(text: str) -> str:
    """The text without the lines that hold the link."""
    return _TEXT_LINE.sub("", text)


def with_link(email: RenderedEmail, url: str | None) -> RenderedEmail:
    """The email with `url` as its unsubscribe link, or with no link when `url` is None."""
    if not has_placeholder(email):
        return email
    if url is None:
        return replace(email, html=strip_html(email.html), text=strip_text(email.text))
    return replace(email, html=fill_html(email.html, url), text=fill_text(email.text, url))
