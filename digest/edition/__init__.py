"""Edition: today's issue from today's stories.

Takes `Story`s; gives the written issue. `memory` leaves out stories already
sent (or marks them "Developing"), `rank` orders and keeps the top ones,
`render` turns the `Issue` into HTML and text with Jinja, `write` puts
`out/<date>/email.html`, `email.txt` and `issue.json` on disk.
"""
