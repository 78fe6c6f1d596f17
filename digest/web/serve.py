"""`digest serve`: the readers' pages, a Starlette app meant to sit behind a TLS proxy.

    GET  /subscribe            the sign-up form (email, optional name)
    POST /subscribe            sends a confirmation link; the same answer whoever asks
    GET  /confirm?token=T      a page whose one button confirms (link scanners only GET)
    POST /confirm              confirms the reader (the token holds address, list and nonce)
    GET  /unsubscribe?token=T  a page with one button
    POST /unsubscribe?token=T  unsubscribes at once (RFC 8058 one-click, or the button); idempotent

Database work runs on the event loop's thread (one SQLite connection, opened
at startup); only the SMTP conversation runs elsewhere, after the answer.
No address or token is ever logged.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from digest.config import Config
from digest.deliver.message import list_key, parse_sender
from digest.deliver.readers import ALREADY, CONFIRMED, SUBSCRIBED, Readers
from digest.deliver.recipients import Recipient, clean_name, normalise_address
from digest.deliver.send import check_ready
from digest.deliver.tokens import (
    CONFIRM,
    UNSUBSCRIBE,
    ReaderLinks,
    TokenData,
    TokenError,
    read_secret,
    reader_links,
)
from digest.edition.render import make_environment, render_template
from digest.errors import ConfigError
from digest.state import StateDB
from digest.web.confirmation import Confirmation, send_confirmation
from digest.web.guards import CSRF_COOKIE, CSRF_FIELD, HONEYPOT_FIELD, CsrfGuard, RateLimiter

log = logging.getLogger(__name__)

MAX_BODY = 8192  # bytes: the forms are a few fields
MAX_EMAIL = 254
MAX_NAME = 100
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "Referrer-Policy": "no-referrer",  # tokens in URLs go nowhere else
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@dataclass
class ReaderSite:
    """The app's state: settings checked once, the database opened at startup."""

    config: Config
    env: jinja2.Environment
    links: ReaderLinks
    csrf: CsrfGuard
    confirmation: Confirmation
    per_client: RateLimiter
    per_address: RateLimiter
    readers: Readers | None = None

    @property
    def db(self) -> Readers:
        assert self.readers is not None, "the app's lifespan opens the database"
        return self.readers

    # -- pages -----------------------------------------------------------------
    def page(self, status: int, heading: str, message: str, **extra: Any) -> HTMLResponse:
        body = render_template(
            self.env,
            "reader_page.html",
            title=self.config.digest.title,
            heading=heading,
            message=message,
            **extra,
        )
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    def form(self, status: int = 200, error: str = "", email: str = "", name: str = "") -> HTMLResponse:
        token, cookie = self.csrf.new()
        body = render_template(
            self.env,
            "reader_subscribe.html",
            title=self.config.digest.title,
            csrf=token,
            csrf_field=CSRF_FIELD,
            honeypot=HONEYPOT_FIELD,
            error=error,
            email=email,
            reader_name=name,
        )
        response = HTMLResponse(body, status_code=status, headers=HEADERS)
        secure = self.links.base_url.startswith("https:")
        response.set_cookie(
            CSRF_COOKIE, cookie, max_age=7200, httponly=True, samesite="strict", secure=secure
        )
        return response

    def refused(self, status: int, message: str) -> HTMLResponse:
        return self.page(status, HTTPStatus(status).phrase, message)

    # -- sign-up -----------------------------------------------------------------
    async def subscribe_form(self, request: Request) -> Response:
        return self.form()

    async def subscribe(self, request: Request) -> Response:
        fields = await read_form(request)
        problem = self.csrf.check(fields.get(CSRF_FIELD, ""), request.cookies.get(CSRF_COOKIE))
        if problem:
            return self.refused(403, problem.capitalize() + ".")
        email, name = fields.get("email", "").strip(), fields.get("name", "").strip()
        if fields.get(HONEYPOT_FIELD):
            log.info("sign-up with the hidden field filled in: ignored (a bot)")
            return self.check_inbox()
        reader, error = parse_reader(email, name)
        if reader is None:
            return self.form(400, error, email[:MAX_EMAIL], name[:MAX_NAME])
        if not self.per_client.allow(client_address(request)):
            return self.refused(429, "Too many sign-ups from your network just now; please try again later.")
        known = self.db.get(reader.email)
        if (known and known.status == SUBSCRIBED) or not self.per_address.allow(reader.key):
            return self.check_inbox()  # already subscribed, or flooded: the same answer, no message
        nonce = self.db.request(reader, secrets.token_urlsafe(12))
        if nonce is None:
            return self.check_inbox()
        link = self.links.confirm_url(reader.email, nonce)
        # Sent after the answer: how long SMTP takes says nothing about the address.
        task = BackgroundTask(send_confirmation, self.config, self.confirmation, reader, link)
        return self.check_inbox(task)

    def check_inbox(self, task: BackgroundTask | None = None) -> Response:
        response = self.page(
            200,
            "Check your inbox",
            "If that address can receive this newsletter, a message with a confirmation link is on its "
            f"way to it. The link works for {self.confirmation.days} days.",
        )
        response.background = task
        return response

    async def confirm_page(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        data = self.read_token(token, CONFIRM, self.max_age)
        return self.page(
            200,
            "Confirm your subscription",
            f"Press the button to start receiving {self.config.digest.title} at {data.email}.",
            button="Confirm my subscription",
            action="/confirm",
            token=token,
        )

    async def confirm(self, request: Request) -> Response:
        fields = await read_form(request)
        token = fields.get("token") or request.query_params.get("token", "")
        data = self.read_token(token, CONFIRM, self.max_age)
        when = datetime.now(UTC).isoformat(timespec="seconds")
        outcome = self.db.confirm(data.email, data.nonce, f"web sign-up, confirmed by email link {when}")
        if outcome == CONFIRMED:
            log.info("a reader confirmed their subscription")
            return self.page(200, "You are subscribed", f"{data.email} will receive the next issue.")
        if outcome == ALREADY:
            return self.page(200, "You are subscribed", f"{data.email} was already subscribed.")
        return self.refused(400, "This link was already used, or you unsubscribed since; sign up again.")

    def read_token(self, token: str, purpose: str, max_age: float | None = None) -> TokenData:
        """The link's content; a bad link is refused (400) with what is wrong, in plain words."""
        try:
            return self.links.signer.read(token, purpose, max_age)
        except TokenError as exc:
            raise HTTPException(400, str(exc).capitalize() + ".") from None

    @property
    def max_age(self) -> float:
        return self.config.web.confirm_days * 86400.0

    # -- leaving -----------------------------------------------------------------
    async def unsubscribe_page(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        data = self.read_token(token, UNSUBSCRIBE)
        return self.page(
            200,
            "Unsubscribe",
            f"Press the button and {data.email} will receive no more {self.config.digest.title}.",
            button="Unsubscribe",
            action="/unsubscribe?token=" + token,
            token=token,
            one_click=True,
        )

    async def unsubscribe(self, request: Request) -> Response:
        await read_body(request)  # `List-Unsubscribe=One-Click`, from a mail client or the button
        token = request.query_params.get("token", "")
        data = self.read_token(token, UNSUBSCRIBE)
        if self.db.unsubscribe(data.email, "unsubscribe link"):  # synced before the answer
            log.info("a reader unsubscribed")
        return self.page(
            200, "You are unsubscribed", f"{data.email} will receive no more {self.config.digest.title}."
        )

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/subscribe", status_code=303)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            return self.refused(500, "Something went wrong on our side; please try again later.")
        messages = {404: "Nothing here.", 405: "This page does not take that kind of request."}
        return self.refused(exc.status_code, messages.get(exc.status_code, exc.detail))


async def read_body(request: Request) -> bytes:
    """The body, refused (413) past MAX_BODY bytes whatever Content-Length claims."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit():
        raise HTTPException(400, "The request's Content-Length is not a number.")
    if int(declared) > MAX_BODY:
        raise HTTPException(413, "The request is too large.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, "The request is too large.")
    return body


async def read_form(request: Request) -> dict[str, str]:
    """A small url-encoded form as plain strings (repeated fields: the first)."""
    body = await read_body(request)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "The form could not be read.") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def parse_reader(email: str, name: str) -> tuple[Recipient | None, str]:
    """(reader, "") or (None, what is wrong, for the form)."""
    if not email:
        return None, "Please enter your email address."
    if len(email) > MAX_EMAIL:
        return None, f"That address is longer than {MAX_EMAIL} characters."
    if len(name) > MAX_NAME:
        return None, f"The name is longer than {MAX_NAME} characters."
    try:
        address = normalise_address(email)
    except ValueError as exc:
        return None, f"That is not a valid email address: it {exc}."
    return Recipient(address, clean_name(name)), ""


def client_address(request: Request) -> str:
    """The client's address (uvicorn puts the proxy's X-Forwarded-For here when trusted)."""
    return request.client.host if request.client else "unknown"


def make_site(config: Config) -> ReaderSite:
    """Every setting checked before serving; ConfigError naming the one at fault."""
    check_ready(config, dry_run=False)  # [smtp]: confirmations are sent through it
    assert config.smtp is not None
    if not config.web.base_url:
        raise ConfigError(
            f"{config.path or 'config'}: web.base_url: not set; give the public address of these pages"
        )
    if config.web.confirm_days < 1:
        raise ConfigError("web.confirm_days: must be 1 or more")
    sender = parse_sender(config.smtp.sender or config.smtp.username)
    links = reader_links(config, list_key(config.digest.title, sender.domain))
    assert links is not None
    web = config.web
    return ReaderSite(
        config=config,
        env=make_environment(config),
        links=links,
        csrf=CsrfGuard(read_secret(config)),
        confirmation=Confirmation(config.digest.title, sender, web.confirm_days),
        per_client=RateLimiter(max(1, web.signups_per_client), 3600.0),
        per_address=RateLimiter(max(1, web.signups_per_address), 86400.0),
    )


def make_app(site: ReaderSite) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state = StateDB(site.config.state_dir)
        site.readers = Readers(state)
        # Sign-ups whose link has expired were never consented to: not kept.
        site.readers.forget_stale(site.config.web.confirm_days)
        try:
            yield
        finally:
            state.close()

    hosts = [urlsplit(site.links.base_url).hostname or "", "127.0.0.1", "localhost"]
    routes = [
        Route("/", site.home),
        Route("/subscribe", site.subscribe_form, methods=["GET"]),
        Route("/subscribe", site.subscribe, methods=["POST"]),
        Route("/confirm", site.confirm_page, methods=["GET"]),
        Route("/confirm", site.confirm, methods=["POST"]),
        Route("/unsubscribe", site.unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe", site.unsubscribe, methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
        exception_handlers={HTTPException: site.http_error, Exception: site.http_error},
        lifespan=lifespan,
    )
