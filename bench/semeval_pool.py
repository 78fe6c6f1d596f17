"""Write N distinct article texts from a SemEval-layout pairs CSV into a folder,
one .txt per article (headline on the first line), as a pool for
`digest bench cluster` and `digest bench build` at scale.

    python bench/semeval_pool.py ../shared/data/semeval-dev.csv /tmp/pool-1000 --count 1000

The data stays outside the repo: the folder is written where you say.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from digest.fitting.semeval import read_pairs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "pairs", type=Path, help="pairs CSV (pair_id, lang1, lang2, text1, text2, ..., Overall)"
    )
    parser.add_argument("folder", type=Path, help="folder to write NNNN.txt files into")
    parser.add_argument("--count", type=int, default=1000, help="how many distinct texts (default 1000)")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for pair in read_pairs(args.pairs):
        for article in (pair.first, pair.second):
            key = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
            if len(seen) >= args.count or key in seen or len(article.text.split()) < 20:
                continue
            seen.add(key)
            body = f"{article.title}\n\n{article.text}\n" if article.title else f"{article.text}\n"
            (args.folder / f"{len(seen):04d}.txt").write_text(body, encoding="utf-8")
    print(f"{len(seen)} texts in {args.folder}")


if __name__ == "__main__":
    main()
