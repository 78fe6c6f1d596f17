"""Deliver: the written issue to every reader, exactly once.

Takes a written issue (`edition.write`); gives one message per recipient over
SMTP. `recipients` reads who `[recipients]` lists, `readers` keeps who
subscribed or left (state database), `audience` combines them, `tokens` signs
the readers' links, `message` builds the MIME message and its headers,
`transport` talks SMTP, `ledger` records who was served, `send` runs it.
"""
