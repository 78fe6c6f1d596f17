"""Clean: page furniture out, the article kept.

Takes a `RawArticle`; gives an `Article` (clean text, language) or None when
nothing is left. `furniture` and `notices` hold the per-line rules, `context`
what a line's neighbours add, `language` detects the language offline,
`cleaner` combines them.
"""
