"""Configuration: `digest.toml`, read once into a typed object and passed down.

Every key is optional. Each section is a dataclass; its field names are the
TOML keys and its defaults are the documented defaults (see
`digest.example.toml`). Unknown keys and wrong types are reported with the
key's name and the file, and nothing runs.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import ConfigError


@dataclass(frozen=True)
class DigestSettings:
    title: str = "Top Ten"
    language: str = "en"
    timezone: str = "UTC"
    top: int = 10
    out: str = "out"
    state: str = ".digest"
    templates: str | None = None  # a folder whose templates override the built-in ones
    window_hours: int = 24
    memory_days: int = 7
    archive_url: str | None = None


@dataclass(frozen=True)
class SourceSettings:
    path: str | None = None
    url: str | None = None
    name: str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class SummariserSettings:
    model: str = "extractive"  # or a Hugging Face model id / local directory
    sentences: int = 3
    max_words: int = 70
    batch_size: int = 8
    threads: int = 0  # torch threads for the summariser's models; 0: one per CPU core


@dataclass(frozen=True)
class DedupSettings:
    threshold: float | None = None  # None: the calibrated default shipped with the code


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # "none" | "starttls" | "ssl"
    username: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    sender: str | None = None
    ca_file: str | None = None
    timeout: float = 30.0
    rate_per_minute: int = 0  # 0: no limit
    subject: str = "{title} \u2014 {date}"
    retries: int = 3  # more attempts after a transient failure (4xx, drop, timeout)
    retry_delay: float = 2.0  # seconds before the first retry; doubles each time


@dataclass(frozen=True)
class RecipientSettings:
    to: list[str] = field(default_factory=list)
    file: str | None = None
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None


@dataclass(frozen=True)
class ScheduleSettings:
    cron: str = "0 7 * * *"
    skip_if_empty: bool = True
    lock_timeout: float = 60.0
    misfire_grace_time: int = 6 * 3600


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "digest/0.1 (+https://github.com/digest-newsletter/digest)"
    timeout: float = 20.0
    per_host: int = 2
    concurrency: int = 16
    max_bytes: int = 10_000_000
    retries: int = 2
    teaser_chars: int = 600
    max_redirects: int = 5
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_entries: int = 200  # per feed: the newest N entries in the window are read
    deadline: float = 300.0  # seconds for all fetching of one build; what is late is skipped
    allow_private: bool = False  # fetch loopback, private and link-local addresses (an intranet feed)
    allow_networks: list[str] = field(default_factory=list)  # only these internal networks ("10.1.0.0/16")
    cache_max_bytes: int = 50_000_000  # bodies kept for conditional GET, in all
    cache_days: int = 30  # a cached body not confirmed for this long is dropped


@dataclass(frozen=True)
class WebSettings:
    """`digest serve`, the readers' sign-up and unsubscribe pages."""

    base_url: str | None = None  # its public address, e.g. https://news.example.org
    host: str = "127.0.0.1"
    port: int = 8080
    secret_env: str = "DIGEST_WEB_SECRET"  # name of the variable holding the signing secret
    confirm_days: int = 7  # a confirmation link expires after this many days
    signups_per_client: int = 10  # sign-ups per client address per hour
    signups_per_address: int = 3  # confirmation messages per target address per day


@dataclass(frozen=True)
class Config:
    digest: DigestSettings = field(default_factory=DigestSettings)
    sources: list[SourceSettings] = field(default_factory=list)
    summariser: SummariserSettings = field(default_factory=SummariserSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    smtp: SmtpSettings | None = None  # None: no [smtp] section, so nothing can be sent
    recipients: RecipientSettings = field(default_factory=RecipientSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    web: WebSettings = field(default_factory=WebSettings)
    path: Path | None = None  # the file this was read from, for messages

    @property
    def out_dir(self) -> Path:
        return self._resolve(self.digest.out)

    @property
    def state_dir(self) -> Path:
        return self._resolve(self.digest.state)

    def _resolve(self, value: str) -> Path:
        """Relative paths in a config file are relative to that file."""
        path = Path(value).expanduser()
        if path.is_absolute() or self.path is None:
            return path
        return self.path.parent / path

    def resolve(self, value: str) -> Path:
        return self._resolve(value)

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.digest.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            where = self.path or "config"
            raise ConfigError(
                f"{where}: digest.timezone: unknown timezone {self.digest.timezone!r} "
                "(use an IANA name such as 'Europe/London')"
            ) from None

    def today(self, now: datetime | None = None) -> date:
        """Today's date in the configured timezone."""
        now = now or datetime.now(UTC)
        return now.astimezone(self.zone).date()


_SECTIONS: dict[str, type] = {
    "digest": DigestSettings,
    "summariser": SummariserSettings,
    "dedup": DedupSettings,
    "smtp": SmtpSettings,
    "recipients": RecipientSettings,
    "schedule": ScheduleSettings,
    "fetch": FetchSettings,
    "web": WebSettings,
}


def load_config(path: str | Path | None) -> Config:
    """Read `path` (or return the defaults when None)."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: not UTF-8 (byte 0x{exc.object[exc.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    unknown = sorted(set(data) - set(_SECTIONS) - {"sources"})
    if unknown:
        raise ConfigError(f"{where}: unknown section [{unknown[0]}]")
    values: dict[str, Any] = {"path": path}
    for name, cls in _SECTIONS.items():
        if name in data:
            values[name] = _section(cls, data[name], name, where)
    if "sources" in data:
        sources = data["sources"]
        if not isinstance(sources, list):
            raise ConfigError(f"{where}: 'sources' must be an array of tables ([[sources]])")
        values["sources"] = [
            _section(SourceSettings, item, f"sources[{i}]", where) for i, item in enumerate(sources)
        ]
        # A source with neither path nor url is warned about when sources are
        # read (digest/ingest/sources.py), so the other sources still make an issue.
    return Config(**values)


def _section(cls: type, table: Any, name: str, where: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: '{name}' must be a table")
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{name}.{key}'")
        if not _is_instance(value, hints[key]):
            raise ConfigError(f"{where}: '{name}.{key}' must be {_describe(hints[key])}, got {value!r}")
    converted: dict[str, Any] = {
        k: float(v) if hints[k] in (float, float | None) and isinstance(v, int) else v
        for k, v in table.items()
    }
    for key, value in converted.items():
        _check_range(f"{name.split('[')[0]}.{key}", f"{name}.{key}", value, where)
    for network in converted.get("allow_networks", []) if name == "fetch" else []:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(
                f"{where}: 'fetch.allow_networks': {network!r} is not an address or a network "
                "(such as '10.1.0.0/16')"
            ) from None
    return cls(**converted)


# The smallest value of each numeric setting (by section.key): below it a
# setting would hang (concurrency 0), crash (retries -1) or mean nothing.
# Every float must also be finite (TOML allows inf and nan).
_AT_LEAST: dict[str, float] = {
    "digest.top": 1,
    "digest.window_hours": 1,
    "digest.memory_days": 0,
    "sources.weight": 0,
    "summariser.sentences": 1,
    "summariser.max_words": 1,
    "summariser.batch_size": 1,
    "summariser.threads": 0,
    "dedup.threshold": 0,
    "smtp.port": 1,
    "smtp.rate_per_minute": 0,
    "smtp.retries": 0,
    "smtp.retry_delay": 0,
    "schedule.lock_timeout": 0,
    "schedule.misfire_grace_time": 1,
    "fetch.per_host": 1,
    "fetch.concurrency": 1,
    "fetch.max_bytes": 1,
    "fetch.retries": 0,
    "fetch.teaser_chars": 0,
    "fetch.max_redirects": 0,
    "fetch.backoff": 0,
    "fetch.max_entries": 1,
    "fetch.cache_max_bytes": 0,
    "fetch.cache_days": 0,
    "web.port": 1,
    "web.confirm_days": 1,
    "web.signups_per_client": 1,
    "web.signups_per_address": 1,
}
# Settings that must be above zero (a zero timeout never lets anything finish).
_ABOVE_ZERO = {"smtp.timeout", "fetch.timeout", "fetch.deadline"}
_AT_MOST: dict[str, float] = {"smtp.port": 65535, "web.port": 65535, "dedup.threshold": 1}


def _check_range(key: str, shown: str, value: Any, where: str) -> None:
    """One line naming the key and the file when a number is out of its range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    problem = None
    if not math.isfinite(value):
        problem = "a finite number"
    elif key in _ABOVE_ZERO and value <= 0:
        problem = "above 0"
    elif key in _AT_LEAST and value < _AT_LEAST[key]:
        problem = f"at least {_AT_LEAST[key]:g}"
    elif key in _AT_MOST and value > _AT_MOST[key]:
        problem = f"at most {_AT_MOST[key]:g}"
    if problem:
        raise ConfigError(f"{where}: '{shown}' must be {problem}, got {value!r}")


def _is_instance(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_is_instance(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_is_instance(v, item) for v in value)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(a) for a in typing.get_args(hint) if a is not type(None))
    if origin is list:
        return f"a list of {_describe(typing.get_args(hint)[0])}"
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    return names.get(hint, getattr(hint, "__name__", str(hint)))
