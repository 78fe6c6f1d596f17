"""Net: the polite, bounded HTTP client that ingest fetches feeds and pages with.

Takes URLs; gives each a `Fetched` body or a `FetchError` with a one-line
reason. `fetch` runs the requests (concurrency, retries, redirects, one
deadline), `decode` undoes content-codings within `max_bytes`, `guard` refuses
internal addresses after name resolution, `credentials` keeps passwords out of
everything shown or stored, `http_cache` keeps bodies for conditional GET.
"""
