"""Helpers for the `digest serve` tests: raw HTTP requests (http.client sends
exactly what it is given), the sign-up form's CSRF token and cookie, and the
confirmation link out of a received message."""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode, urlsplit

SECRET = "test secret of more than sixteen characters"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def request(
    url: str, method: str = "GET", body: str | bytes | None = None, headers: dict | None = None
) -> Answer:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request(method, target, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data.decode("utf-8"))


def post_form(url: str, fields: dict[str, str], cookie: str | None = None) -> Answer:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    return request(url, "POST", urlencode(fields), headers)


def open_form(base: str) -> tuple[str, str]:
    """GET /subscribe: (csrf token, cookie header value)."""
    page = request(base + "subscribe")
    assert page.status == 200
    token = re.search(r'name="csrf" value="([^"]+)"', page.body)
    cookie = page.headers["set-cookie"].split(";")[0]
    assert token
    return token.group(1), cookie


def sign_up(base: str, email: str, name: str = "", **extra: str) -> Answer:
    token, cookie = open_form(base)
    return post_form(base + "subscribe", {"csrf": token, "email": email, "name": name, **extra}, cookie)


def confirm_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"(http://\S+/confirm\?token=\S+)", text)
    assert match, text
    return match.group(1)


def unsubscribe_link(message) -> str:
    match = re.search(r"<(http[^>]+/unsubscribe\?token=[^>]+)>", message["List-Unsubscribe"])
    assert match, message["List-Unsubscribe"]
    return unescape(match.group(1))


def wait_for(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
