"""Ingest: where articles come in.

Takes the paths given on the command line and the `[[sources]]` of the config
(files, folders, feeds, web pages); gives `RawArticle`s (models.py) inside the
publication window. `files` reads local files (`split_body` mends article
bodies that a page splits around an advert), `feeds` parses RSS and Atom,
`window` is the publication-time window, `sources` puts them together and
fetches through `digest.net`.
"""
