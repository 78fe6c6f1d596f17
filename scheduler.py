#!/usr/bin/env python3
"""Send the digest every day: `python scheduler.py [--config FILE] [--next]`.

The same as `digest schedule` (see `python scheduler.py --help`); kept at the
top of the repository for a systemd unit or a container entry point.
"""

import sys

from digest.cli import main

if __name__ == "__main__":
    sys.exit(main(["schedule", *sys.argv[1:]]))
