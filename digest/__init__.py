"""digest: writes and sends a daily Top Ten newsletter, offline, on an ordinary CPU."""

__version__ = "0.1.0"
