"""Fetch feeds and pages over HTTP, politely.

One `Fetcher` per run. `fetch_all(urls)` fetches a batch at once and returns,
for each URL, either a `Fetched` body or a `FetchError` (a one-line reason
that never holds the URL, so the caller names the source its own way).

Politeness and safety, all set in `[fetch]`:
- a descriptive User-Agent; at most `concurrency` requests at once and at
  most `per_host` to one host; redirects followed by hand (at most
  `max_redirects`), each hop checked to be http or https;
- a deadline of `timeout` seconds per attempt, and `retries` more attempts
  with exponential backoff on 5xx, 429, timeouts and dropped connections
  (a small Retry-After is honoured); and one `deadline` for everything a
  Fetcher fetches (one build): what has not arrived by then is a FetchError;
- conditional GET: the ETag / Last-Modified of answers and their bodies are
  kept in the state database (`digest.net.http_cache`), so an unchanged
  resource costs a 304;
- bodies above `max_bytes` are abandoned as soon as they grow past it,
  counted after every content-coding is undone (`digest.net.decode`), so
  a body compressed twice over cannot fill the memory;
- no loopback, private or link-local address is connected to, checked after
  name resolution on every hop (`digest.net.guard`), unless `allow_private`;
- credentials in a URL (`https://user:secret@host/`) are sent as Basic auth,
  only to the URL's own origin, and removed from every URL that is logged,
  stored or returned (`digest.net.credentials`).

Bodies are decoded by `digest.text.charsets.decode_body`, which does not trust a
declared charset that the bytes contradict (a windows-1251 page labelled UTF-8 is common).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, TypeVar

import httpx

from digest.config import FetchSettings
from digest.net.credentials import safe_url, split_credentials
from digest.net.decode import ACCEPT_ENCODING, BodyDecoder, DecodeError
from digest.net.guard import AddressRefused, make_transport
from digest.net.http_cache import CachedBody, HttpCache, ToStore
from digest.text.charsets import decode_body

if TYPE_CHECKING:
    from digest.state import StateDB

__all__ = ["CachedBody", "FetchError", "Fetched", "Fetcher", "HttpCache", "check_url", "safe_url"]

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMES = ("http", "https")
RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
# Errors worth another attempt: the server was slow or dropped us.
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, TimeoutError)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


class FetchError(Exception):
    """Why a URL could not be fetched, in one line without the URL."""


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for, credentials removed
    final_url: str  # after redirects, credentials removed
    status: int  # the status of the answer; 304 when the body came from the cache
    body: bytes
    media_type: str  # "text/html", "application/rss+xml", ... ("" when not given)
    charset: str | None  # as declared in the Content-Type header

    @property
    def from_cache(self) -> bool:
        return self.status == 304

    @property
    def text(self) -> str:
        return decode_body(self.body, self.charset)


def check_url(url: str) -> httpx.URL:
    """Parse `url`; refuse anything but an absolute http(s) URL."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"not a valid URL ({exc})") from None
    if parsed.scheme not in SCHEMES:
        scheme = parsed.scheme or "no scheme"
        raise FetchError(f"only http and https URLs can be fetched, not {scheme}")
    if not parsed.host:
        raise FetchError("the URL has no host")
    return parsed


class Fetcher:
    """Fetches batches of URLs with the limits of `[fetch]`; caches in `state`."""

    def __init__(self, settings: FetchSettings, state: StateDB | None = None):
        self.settings = settings
        self.cache = (
            HttpCache(state, settings.cache_max_bytes, settings.cache_days) if state is not None else None
        )
        # One deadline for everything this Fetcher fetches (one per build).
        self.deadline = time.monotonic() + settings.deadline

    def fetch_all(
        self, urls: Sequence[str], accept: str = ACCEPT, keep: bool = True
    ) -> dict[str, Fetched | FetchError]:
        """Fetch every URL (duplicates once); never raises for one URL's failure."""
        return self.fetch_each(urls, _same, accept, keep)

    def forget(self, urls: Sequence[str]) -> None:
        """Drop the cached bodies of `urls` (fetched, but they gave nothing)."""
        if self.cache:
            self.cache.forget([safe_url(u) for u in urls])

    def fetch_each(
        self,
        urls: Sequence[str],
        handle: Callable[[Fetched | FetchError], T],
        accept: str = ACCEPT,
        keep: bool = True,
    ) -> dict[str, T]:
        """Fetch every URL and return `handle(result)` for each.

        `handle` runs as each answer arrives, so the work on one body (parsing,
        extraction) overlaps with the downloads still under way. It runs in one
        worker thread, one body at a time, so a slow body never stalls the
        event loop (where it would eat into other requests' deadlines).
        `keep=False`: no body is cached (the caller remembers what it made of them).
        """
        unique = list(dict.fromkeys(urls))
        if not unique:
            return {}
        results = asyncio.run(self._fetch_all(unique, accept, handle, keep))
        return dict(zip(unique, results, strict=True))

    def fetch(self, url: str, accept: str = ACCEPT) -> Fetched:
        """Fetch one URL; raises FetchError."""
        result = self.fetch_all([url], accept)[url]
        if isinstance(result, FetchError):
            raise result
        return result

    async def _fetch_all(
        self, urls: list[str], accept: str, handle: Callable[[Fetched | FetchError], T], keep: bool
    ) -> list[T]:
        settings = self.settings
        limits = httpx.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        )
        headers = {"User-Agent": settings.user_agent, "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
        worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fetch-handle")
        try:
            async with httpx.AsyncClient(
                headers=headers,
                timeout=settings.timeout,
                transport=make_transport(limits, settings.allow_private, settings.allow_networks),
                follow_redirects=False,
                trust_env=False,  # no proxy: the address connected to must be the one checked
            ) as client:
                run = _Run(self, client, asyncio.Semaphore(settings.concurrency), keep)
                results = await asyncio.gather(*(run.fetch(url, handle, worker) for url in urls))
        finally:
            worker.shutdown(wait=True)
        if self.cache:
            self.cache.update(run.to_store, run.not_modified)  # one transaction, not one per body
        return results


class _Run:
    """The per-batch state: the client and the semaphores (they belong to one event loop)."""

    def __init__(self, fetcher: Fetcher, client: httpx.AsyncClient, overall: asyncio.Semaphore, keep: bool):
        self.settings = fetcher.settings
        self.cache = fetcher.cache
        self.deadline = fetcher.deadline
        self.keep = keep
        self.client = client
        self.overall = overall
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.to_store: list[ToStore] = []
        self.not_modified: list[str] = []

    async def fetch(
        self, url: str, handle: Callable[[Fetched | FetchError], T], worker: ThreadPoolExecutor
    ) -> T:
        result: Fetched | FetchError
        try:
            async with asyncio.timeout(max(0.0, self.deadline - time.monotonic())):
                result = await self._fetch(url)
        except TimeoutError:  # per-attempt timeouts end inside _fetch: this is the deadline
            result = FetchError(
                f"not fetched within the {self.settings.deadline:g} s for all fetching (fetch.deadline)"
            )
        except FetchError as exc:
            result = exc
        except Exception as exc:
            log.debug("fetch of %s failed unexpectedly", safe_url(url), exc_info=True)
            result = FetchError(f"unexpected error: {type(exc).__name__}")
        if handle is _same:
            return handle(result)
        return await asyncio.get_running_loop().run_in_executor(worker, handle, result)

    async def _fetch(self, url: str) -> Fetched:
        bare, user, password = split_credentials(url)  # also a password with / ? or # in it
        parsed = check_url(bare)
        auth = httpx.BasicAuth(user, password or "") if user is not None else None
        clean = str(parsed)
        cached = self.cache.lookup(clean) if self.cache else None
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                return await self._follow(clean, auth, cached)
            except _Retry as retry:
                if attempt + 1 == attempts:
                    raise FetchError(f"{retry.reason}, after {attempts} attempts") from None
                delay = retry.after if retry.after is not None else self._backoff(attempt)
                log.debug("%s: %s; retrying in %.1f s", clean, retry.reason, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff * (2**attempt)
        result: float = base * random.uniform(0.75, 1.25)  # jitter: retries from many feeds do not align
        return result

    async def _follow(self, url: str, auth: httpx.BasicAuth | None, cached: CachedBody | None) -> Fetched:
        """One attempt: the request and its redirects (each hop within `timeout`)."""
        origin = httpx.URL(url).copy_with(path="/", query=None, fragment=None)
        current = httpx.URL(url)
        for _hop in range(self.settings.max_redirects + 1):
            same_origin = current.copy_with(path="/", query=None, fragment=None) == origin
            # The cached body belongs to the first URL and to where it led.
            known = cached and str(current) in (url, cached.final_url)
            validators = cached.validators() if cached and known else {}
            try:
                answer = await self._request(current, auth if same_origin else None, validators)
            except AddressRefused as exc:
                shown = "" if _hop == 0 else f"redirected to {safe_url(str(current))}: "
                raise FetchError(f"{shown}{exc}") from None
            if isinstance(answer, httpx.URL):
                if answer.scheme not in SCHEMES:
                    raise FetchError(f"redirected to a {answer.scheme}: URL, which is not fetched")
                current = answer
                continue
            status, headers, body = answer
            return self._finish(url, current, status, headers, body, cached)
        raise FetchError(f"more than {self.settings.max_redirects} redirects (fetch.max_redirects)")

    async def _request(
        self, url: httpx.URL, auth: httpx.BasicAuth | None, validators: dict[str, str]
    ) -> httpx.URL | tuple[int, httpx.Headers, bytes]:
        """GET `url` once: the next URL for a redirect, else (status, headers, body)."""
        host = f"{url.host}:{url.port or url.scheme}"
        per_host = self.hosts.setdefault(host, asyncio.Semaphore(self.settings.per_host))
        async with self.overall, per_host:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._exchange(url, auth, validators)
            except RETRY_ERRORS as exc:
                raise _Retry(describe_error(exc, self.settings.timeout)) from None
            except httpx.HTTPError as exc:
                raise FetchError(describe_error(exc, self.settings.timeout)) from None

    async def _exchange(
        self, url: httpx.URL, auth: httpx.BasicAuth | None, validators: dict[str, str]
    ) -> httpx.URL | tuple[int, httpx.Headers, bytes]:
        # The client has no auth of its own, so None (no auth) is its default too.
        async with self.client.stream("GET", url, headers=validators, auth=auth) as response:
            status = response.status_code
            if status in REDIRECT_STATUS and "location" in response.headers:
                return url.join(response.headers["location"])
            if status in RETRY_STATUS:
                raise _Retry(
                    f"HTTP {status} {response.reason_phrase}".strip(),
                    retry_after(response.headers, self.settings.timeout),
                )
            if status == 304:
                return status, response.headers, b""
            if status >= 300:
                raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
            return status, response.headers, await self._read_body(response)

    async def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        too_big = FetchError(f"body larger than {limit} bytes (fetch.max_bytes); skipped")
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_big
        try:
            decoder = BodyDecoder(response.headers.get("content-encoding", ""))
            chunks: list[bytes] = []
            size = raw = 0
            async for chunk in response.aiter_raw():
                raw += len(chunk)
                if raw > limit:  # on the wire, before any decoding
                    raise too_big
                for piece in decoder.decode(chunk):  # a bounded piece at a time
                    size += len(piece)
                    if size > limit:  # decoded, across every layer
                        raise too_big
                    chunks.append(piece)
        except DecodeError as exc:
            raise FetchError(str(exc)) from None
        return b"".join(chunks)

    def _finish(
        self,
        url: str,
        final: httpx.URL,
        status: int,
        headers: httpx.Headers,
        body: bytes,
        cached: CachedBody | None,
    ) -> Fetched:
        if status == 304:
            if cached is None:
                raise FetchError("HTTP 304 Not Modified, but nothing was cached")
            self.not_modified.append(url)
            return Fetched(
                url=url,
                final_url=cached.final_url,
                status=304,
                body=cached.body,
                media_type=cached.media_type,
                charset=cached.charset,
            )
        media_type, charset = parse_content_type(headers.get("content-type", ""))
        fetched = Fetched(
            url=url,
            final_url=safe_url(str(final)),
            status=status,
            body=body,
            media_type=media_type,
            charset=charset,
        )
        if self.cache and self.keep and ("etag" in headers or "last-modified" in headers):
            kept = CachedBody(
                fetched.final_url,
                headers.get("etag"),
                headers.get("last-modified"),
                media_type,
                charset,
                body,
            )
            self.to_store.append(ToStore(url, kept))
        return fetched


def _same(result: Fetched | FetchError) -> Fetched | FetchError:
    return result


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.after = after


def describe_error(exc: BaseException, timeout: float) -> str:
    """A one-line reason; httpx messages can hold the URL, so they are not reused."""
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"no answer within {timeout:g} s (fetch.timeout)"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return "the server closed the connection or broke the protocol"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "only http and https URLs can be fetched"
    return f"HTTP error ({type(exc).__name__})"


def retry_after(headers: httpx.Headers, ceiling: float) -> float | None:
    """Seconds asked for by Retry-After, when small enough to wait for."""
    value = headers.get("retry-after", "").strip()
    seconds: float | None = None
    if value.isdigit():
        seconds = float(value)
    elif value:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    if seconds is None or seconds < 0 or seconds > ceiling:
        return None
    return seconds


def parse_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("'\"") or None
    return media_type.strip().lower(), charset
