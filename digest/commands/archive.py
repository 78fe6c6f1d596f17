"""Write the archive: a static site of every issue built in out/, ready to
publish as is (any static web host). It holds index.html (newest first) and
one folder per issue, <YYYY-MM-DD>/index.html, the email as subscribers got
it with a link back to the index, beside its plain-text part.

Set [digest] archive_url to the address the site is published at, and each
email gets a "view in browser" link to its page."""

from __future__ import annotations

import argparse
from pathlib import Path

from digest.config import Config
from digest.edition.write import finish_writes
from digest.web.archive import write_site

DEFAULT_SITE = "site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder to write the site to (default: '{DEFAULT_SITE}' beside the [digest] out folder)",
    )
    parser.add_argument(
        "--issues",
        type=Path,
        metavar="DIR",
        help="folder of built issues to publish (default: [digest] out, 'out')",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    issues_dir = args.issues or config.out_dir
    site_dir = args.out or issues_dir.parent / DEFAULT_SITE
    finish_writes(config.state_dir)  # an issue whose write a crash cut short is completed first
    entries = write_site(config, site_dir, issues_dir)
    print(f"{site_dir} ({len(entries)} {'issue' if len(entries) == 1 else 'issues'})")
    return 0
