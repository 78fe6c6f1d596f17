"""Ingest: where articles come in.

Takes the paths given on the command line and the `[[sources]]` of the config
(files, folders, feeds, web pages); gives `RawArticle`s (models.py) inside the
publication window. `files` reads local files, `fetch` fetches politely,
`feeds` parses RSS and Atom, `charsets` decodes bytes that do not say their
charset, `window` is the publication-time window, `sources` puts them together.
"""
