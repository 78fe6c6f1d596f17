"""Sample two consecutive "days" from one batch with gold stories, for
`digest bench memory` on more cases than the two dev days give.

    python bench/sample_days.py ../shared/data/ecbplus-dev /tmp/days-1 --seed 1
    digest bench memory --day /tmp/days-1/day1/articles /tmp/days-1/day1/gold.csv \\
                        --day /tmp/days-1/day2/articles /tmp/days-1/day2/gold.csv

BATCH is a folder with `articles/*.json` and `gold.csv` (`file,story_id,...`),
as `../shared/data/ecbplus-dev`. Each gold story is on day 1 with
probability 0.5 and on day 2 with probability 0.6, with 1 to 9 of its
articles each time (mostly one or two, as on a real day), never the same
article twice; so a story of day 2 either continues one of day 1 or is
another event of its topic, as in `ecbplus-dev-days`. Publication times are
rewritten to the two days (the texts keep their own dates). The data stays
outside the repo: OUT is written where you say.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from digest.errors import DigestError
from digest.evaluation.memory import read_gold

ON_DAY = (0.5, 0.6)  # chance that a gold story has articles on day 1, on day 2
SIZES = (1, 1, 1, 1, 2, 2, 3, 4, 6, 9)  # articles of a story on one day
FIRST_DAY = "2025-03-10"
SECOND_DAY = "2025-03-11"


def sample(stories: dict[str, list[str]], rng: random.Random) -> tuple[list[tuple[str, str]], ...]:
    """(file, story) rows of day 1 and day 2."""
    days: tuple[list[tuple[str, str]], ...] = ([], [])
    for story, files in sorted(stories.items()):
        files = sorted(files)
        rng.shuffle(files)
        used = 0
        for day, chance in enumerate(ON_DAY):
            if rng.random() >= chance:
                continue
            keep_one = 1 if day == 0 else 0  # leave day 2 an article to continue with
            count = min(rng.choice(SIZES), len(files) - used - keep_one)
            days[day].extend((f, story) for f in files[used : used + count])
            used += max(count, 0)
    return days


def write_day(batch: Path, folder: Path, rows: list[tuple[str, str]], day: str, rng: random.Random) -> None:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    with open(folder / "gold.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "story_id"])
        for name, story in rows:
            article = json.loads((batch / "articles" / name).read_text(encoding="utf-8"))
            article["published"] = f"{day}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
            (folder / "articles" / name).write_text(json.dumps(article), encoding="utf-8")
            writer.writerow([name, story])


def read_stories(batch: Path) -> dict[str, list[str]]:
    """story id -> its files, from BATCH/gold.csv, read as `digest bench memory` reads a day's
    (one line naming the file and row for a bad row or a file not under BATCH/articles)."""
    stories: dict[str, list[str]] = defaultdict(list)
    for name, story in read_gold(batch / "gold.csv", batch / "articles").items():
        stories[story].append(name)
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("batch", type=Path, help="folder with articles/*.json and gold.csv")
    parser.add_argument("out", type=Path, help="folder to write day1/ and day2/ into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    try:
        stories = read_stories(args.batch)
    except DigestError as exc:
        sys.exit(f"sample_days: {exc}")
    rng = random.Random(args.seed)
    for n, (rows, day) in enumerate(zip(sample(stories, rng), (FIRST_DAY, SECOND_DAY), strict=True)):
        write_day(args.batch, args.out / f"day{n + 1}", rows, day, rng)
        print(f"{args.out / f'day{n + 1}'}: {len(rows)} articles, {len({s for _, s in rows})} stories")


if __name__ == "__main__":
    main()
