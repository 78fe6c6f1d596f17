"""Schedule: build and send every day, unattended.

`run` is `digest run` (build if needed, then send, under the state lock);
`scheduler` fires it at the `[schedule] cron` times in the configured timezone.
"""
