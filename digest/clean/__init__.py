"""Clean: page furniture out, the article kept.

Takes a `RawArticle`; gives an `Article` (clean text, language) or None when
nothing is left. `furniture` holds the per-line rules, `language` detects the
language offline, `cleaner` combines them.
"""
