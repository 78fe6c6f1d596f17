"""Web: built issues and the readers' pages, on Starlette served by uvicorn.

Takes the issues in `out/`; `preview` serves them on 127.0.0.1 before sending,
`archive` writes them as a static site to publish. `serve` is the readers'
sign-up, confirmation and one-click unsubscribe (`guards`: CSRF and rate
limits; `confirmation`: the message with the link); `runner` binds and runs
either app; `watch` rebuilds the preview when files change.
"""
