"""Web: looking at built issues.

Takes the issues in `out/`; `preview` serves them on 127.0.0.1 before sending,
`archive` writes them as a static site to publish.
"""
