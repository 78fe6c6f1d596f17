"""One module per `digest` sub-command; see `digest.cli`."""
