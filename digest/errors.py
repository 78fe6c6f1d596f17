"""User-facing errors: each carries one line that names the file, setting or
address at fault. The CLI prints it without a traceback."""


class DigestError(Exception):
    """A problem the user can fix; `str(exc)` is the whole message."""

    exit_code = 2


class ConfigError(DigestError):
    """A bad or missing setting in the config file."""


class NoArticlesError(DigestError):
    """Nothing usable to build an issue from."""

    exit_code = 3


class NothingNewError(NoArticlesError):
    """Every story was sent before; `decisions` says what memory did with each."""

    def __init__(self, message: str, decisions: tuple[object, ...] = ()):
        super().__init__(message)
        self.decisions = decisions


class LockedError(DigestError):
    """Another run holds the lock."""

    exit_code = 75  # EX_TEMPFAIL: try again later
