"""Render an Issue into the email: an HTML part and a plain-text part.

Templates are Jinja2 files looked up by name, first in the user's folder
(`[digest] templates`), then in the built-in `templates/` folder. Every
template except `*.txt` ones is autoescaped; the text part is plain text and
never read as HTML. After rendering, premailer inlines the CSS (no network),
leaving only the media-query block (mobile and dark mode) in a <style> tag.
"""

from __future__ import annotations

import logging
import re
import string
import sys
import tomllib
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from premailer import Premailer

from digest.clean.language import UNDETERMINED
from digest.config import Config, SmtpSettings
from digest.edition.unsubscribe import PLACEHOLDER, link_configured
from digest.errors import ConfigError, DigestError
from digest.models import Issue, IssueStory, RenderedEmail, SourceRef

log = logging.getLogger(__name__)

HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
LABELS_FILE = "labels.toml"
PREHEADER_HEADLINES = 3
SOURCE_TITLE_CHARS = 90  # a source named by its headline is cut to this
MAX_HTML_BYTES = 100_000  # Gmail clips messages above about 102 KB


def builtin_template_dirs() -> list[Path]:
    """Where the built-in templates can be, in order.

    A checkout or editable install has `templates/` beside the `digest`
    package; a wheel installs a copy under `<prefix>/share/digest/templates`
    (pyproject's data-files).
    """
    package = Path(__file__).resolve().parent.parent  # digest/edition/render.py -> digest/
    candidates = [package.parent / "templates", Path(sys.prefix) / "share" / "digest" / "templates"]
    return [path for path in candidates if path.is_dir()]


def template_dirs(config: Config) -> list[Path]:
    """The user's folder first (overrides by name), then the built-in ones."""
    dirs = []
    if config.digest.templates:
        user = config.resolve(config.digest.templates)
        if not user.is_dir():
            where = config.path or "config"
            raise ConfigError(f"{where}: digest.templates: {user} is not a folder")
        dirs.append(user)
    builtin = builtin_template_dirs()
    if not builtin:
        raise DigestError(
            "built-in templates not found (looked beside the digest package and in "
            f"{Path(sys.prefix) / 'share' / 'digest' / 'templates'}); reinstall digest"
        )
    return dirs + builtin


def make_environment(config: Config, dirs: list[Path] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs or template_dirs(config)]),
        # Text templates are plain text; everything else is escaped, always.
        autoescape=jinja2.select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; a template error names the template file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise DigestError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise DigestError(f"template {exc.name!r} not found in {template_search(env)}") from None
    except jinja2.TemplateError as exc:
        raise DigestError(f"{template_position(exc, name)}: template error: {exc}") from None


def template_search(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = getattr(loader, "searchpath", [])
    return ", ".join(str(p) for p in paths)


def template_position(exc: BaseException, name: str) -> str:
    """`file:line` of the innermost template frame (Jinja rewrites tracebacks
    so template code shows with its own file name and line)."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".txt", ".j2", ".xml"))
    ]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return name


def safe_url(value: str | None) -> str | None:
    """The URL when it is http(s) with a host and no whitespace or control
    characters, else None: only such links are ever emitted."""
    if not value or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def clean_line(value: str) -> str:
    """One line: CR, LF and other control characters become spaces."""
    return " ".join("".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in value).split())


@dataclass(frozen=True)
class SourceView:
    """One source as the templates see it; `url` is None unless http(s)."""

    name: str  # the outlet, else the URL's host, else the article's (shortened) headline
    title: str
    url: str | None
    language: str
    named: bool  # True when `name` is an outlet or host, short enough for an inline list


@dataclass(frozen=True)
class StoryView:
    rank: int
    headline: str
    summary: str
    language: str
    update: bool
    sources: tuple[SourceView, ...]

    @property
    def source_count(self) -> int:
        return len(self.sources)

    @property
    def compact(self) -> bool:
        """Every source has a short name: list them on one line."""
        return all(s.named for s in self.sources)


def shorten(text: str, limit: int = SOURCE_TITLE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-\u2013\u2014 ") + "\u2026"


def source_view(source: SourceRef) -> SourceView:
    """Local files have no outlet or host: they are named by their headline
    (a file name like 000_f2d29e.txt tells a reader nothing)."""
    url = safe_url(source.url)
    host = urlsplit(url).hostname if url else None
    title = clean_line(source.title)
    short_name = clean_line(source.outlet or "") or (host.removeprefix("www.") if host else "")
    name = short_name or shorten(title) or (Path(source.path).name if source.path else "source")
    # "und" (undetermined) is no language to show a badge for.
    language = "" if source.language == UNDETERMINED else source.language
    return SourceView(name=name, title=title, url=url, language=language, named=bool(short_name))


def story_view(story: IssueStory) -> StoryView:
    return StoryView(
        rank=story.rank,
        headline=clean_line(story.headline),
        summary=story.summary.strip(),
        language=story.language,
        update=story.update,
        sources=tuple(source_view(s) for s in story.sources),
    )


def load_labels(dirs: list[Path]) -> dict[str, dict[str, Any]]:
    """The `labels.toml` tables of every template folder, merged key by key;
    a folder earlier in `dirs` (the user's) wins."""
    merged: dict[str, dict[str, Any]] = {}
    for folder in reversed(dirs):
        path = folder / LABELS_FILE
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DigestError(f"{path}: not valid TOML: {exc}") from None
        for language, table in data.items():
            if isinstance(table, dict):
                check_placeholders(path, language, table)
                merged.setdefault(language, {}).update(table)
    return merged


# The labels the templates and the renderer fill in, with the fields each may name.
PLACEHOLDERS = {
    "kicker": {"n"},
    "footer": {"title"},
    "date_format": {"weekday", "day", "month", "year"},
}


def check_placeholders(path: Path, language: str, table: dict[str, Any]) -> None:
    """A label naming a field that is never filled in fails at render time
    (KeyError); say so now, in one line naming the file and the label."""
    for key, fields in PLACEHOLDERS.items():
        value = table.get(key)
        if not isinstance(value, str):
            continue
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError as exc:
            raise ConfigError(f"{path}: [{language}] {key}: not a valid label ({exc})") from None
        # "{x.y}" and "{x[0]}" name x; "{}" and "{0}" name no field at all.
        named = {re.split(r"[.\[]", name)[0] for _, name, _, _ in parsed if name is not None}
        unknown = sorted(named - fields)
        if unknown:
            known = ", ".join(f"{{{f}}}" for f in sorted(fields))
            raise ConfigError(
                f"{path}: [{language}] {key}: unknown placeholder {{{unknown[0]}}} (it may use {known})"
            )


def labels_for(tables: dict[str, dict[str, Any]], language: str) -> dict[str, Any]:
    """English, overlaid with the language's own words (`fr-CA` falls back to `fr`)."""
    labels = dict(tables.get("en", {}))
    base = language.split("-")[0].lower()
    labels.update(tables.get(base, {}))
    if language.lower() != base:
        labels.update(tables.get(language, {}))
    return labels


def display_date(day: date, labels: dict[str, Any]) -> str:
    """`Sunday 22 November 2026`, in the labels' language; ISO 8601 when the
    labels lack a date format."""
    try:
        result: str = labels["date_format"].format(
            weekday=labels["weekdays"][day.weekday()],
            day=day.day,
            month=labels["months"][day.month - 1],
            year=day.year,
        )
        return result
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return day.isoformat()


def web_url(config: Config, day: date) -> str | None:
    """The issue's page in the published archive, or None when there is none."""
    base = config.digest.archive_url
    if not base:
        return None
    if safe_url(base) is None:
        where = config.path or "config"
        raise ConfigError(f"{where}: digest.archive_url: {base!r} is not an http(s) URL")
    return f"{base.rstrip('/')}/{day.isoformat()}/"


def make_subject(config: Config, issue: Issue) -> str:
    template = (config.smtp or SmtpSettings()).subject
    fields = {
        "title": issue.title,
        "date": issue.date.isoformat(),
        "headline": issue.stories[0].headline if issue.stories else "",
    }
    try:
        subject = template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"smtp.subject: {template!r} is not a valid template ({exc}); "
            "use {title}, {date} or {headline}"
        ) from None
    return clean_line(subject)


def preheader(stories: list[StoryView]) -> str:
    """The inbox preview line: the first few headlines."""
    return " \u00b7 ".join(s.headline for s in stories[:PREHEADER_HEADLINES])


def email_context(config: Config, issue: Issue, labels: dict[str, Any]) -> dict[str, Any]:
    """The variables every email template receives (see templates/README.md)."""
    stories = [story_view(s) for s in issue.stories]
    return {
        "issue": issue,
        "title": clean_line(issue.title),
        "language": issue.language or "en",
        "labels": labels,
        "date": display_date(issue.date, labels),
        "date_iso": issue.date.isoformat(),
        "stories": stories,
        "preheader": preheader(stories),
        "web_url": web_url(config, issue.date),
        "subject": make_subject(config, issue),
        # Each reader's own link replaces the placeholder when sending (digest.edition.unsubscribe).
        "unsubscribe_url": PLACEHOLDER if link_configured(config) else None,
    }


def inline_css(html: str) -> str:
    """Inline every CSS rule; rules that cannot be inlined (the @media block)
    stay in a <style> tag. No network access, no cssutils chatter."""
    result: str = Premailer(
        html,
        allow_network=False,
        allow_loading_external_files=False,
        disable_validation=True,
        cssutils_logging_level=logging.CRITICAL,
        remove_classes=False,  # the @media rules select by class
        strip_important=False,  # dark-mode rules need !important to beat inline styles
        disable_link_rewrites=True,
        disable_basic_attributes=["width", "height"],  # keep width="600" for Outlook
    ).transform(pretty_print=False)
    return result


class Renderer:
    """Turns an Issue into a RenderedEmail with the configured templates."""

    def __init__(self, config: Config) -> None:
        self.config = config
        dirs = template_dirs(config)
        self.env = make_environment(config, dirs)
        self.labels = load_labels(dirs)

    def context(self, issue: Issue) -> dict[str, Any]:
        return email_context(self.config, issue, labels_for(self.labels, issue.language or "en"))

    def render(self, issue: Issue) -> RenderedEmail:
        context = self.context(issue)
        # Ends with a newline, as a MIME part does: email.html is then the same bytes as sent.
        html = inline_css(render_template(self.env, HTML_TEMPLATE, **context)).rstrip("\n") + "\n"
        text = render_template(self.env, TEXT_TEMPLATE, **context)
        size = len(html.encode("utf-8"))
        if size > MAX_HTML_BYTES:
            log.warning("email.html is %d KB: Gmail clips messages above about 102 KB", size // 1000)
        return RenderedEmail(html=html, text=text, subject=context["subject"])
