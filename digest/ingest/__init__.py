"""Ingest: where articles come in.

Takes the paths given on the command line and the `[[sources]]` of the config
(files, folders, feeds, web pages); gives `RawArticle`s (models.py) inside the
publication window. `files` reads local files, `fetch` fetches politely,
`feeds` parses RSS and Atom, `charsets` decodes bytes that do not say their
charset, `window` is the publication-time window, `sources` puts them together.
What keeps fetching safe sits beside `fetch`: `decode` undoes content-codings
within the size limit, `guard` refuses internal addresses, `credentials`
keeps passwords out of every URL shown or stored, `http_cache` keeps what
conditional GET needs.
"""
