"""`digest bench memory`: gold files, the figures, and two small days built for real."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from event_texts import CHARGED, RETOLD, ROBBERY

from digest.cli import main
from digest.errors import DigestError
from digest.evaluation.memory import Case, Day, read_gold, run_days, score, worst
from digest.models import Article

ROBOTICS = Article(
    title="Valley school wins national robotics final",
    text="A team of six pupils from Valley High School won the national schools robotics final on Monday, "
    "beating forty other teams with a robot that sorts recycling by colour and weight. The pupils built the "
    "robot in after-school sessions over five months, using parts from old printers and a donated camera.",
    language="en",
)
CYCLE_LANES = Article(
    title="Council approves cycle lanes on Quay Street",
    text="The town council voted by nine to four on Monday evening to build protected cycle lanes along the "
    "whole of Quay Street, removing sixty parking spaces. Work is due to start in June.",
    language="en",
)


def write_day(folder: Path, articles: dict[str, tuple[Article, str]]) -> tuple[Path, Path]:
    """Article files under folder/articles and folder/gold.csv naming their gold stories."""
    (folder / "articles").mkdir(parents=True)
    rows = ["file,story_id"]
    for name, (article, story) in articles.items():
        (folder / "articles" / name).write_text(f"{article.title}\n\n{article.text}\n", encoding="utf-8")
        rows.append(f"{name},{story}")
    (folder / "gold.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "articles", folder / "gold.csv"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("file,story\na.txt,1\n", "unknown column(s) story; missing story_id"),
        ("file,story_id\na.txt,\n", "gold.csv:2: empty file or story_id"),
        ("file,story_id\n", "gold.csv: no gold row"),
        ("file,story_id\na.txt,1\na.txt,2\n", "gold.csv:3: a.txt is listed twice"),
        ("file,story_id\na.txt,1\nmissing.txt,1\n", "gold.csv:3: missing.txt is not a file under"),
    ],
)
def test_gold_problems_are_one_line_naming_the_file_and_row(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "a.txt").write_text("A headline\n\nSome text.\n")
    gold = tmp_path / "gold.csv"
    gold.write_text(content)
    with pytest.raises(DigestError, match=re.escape(expected)) as caught:
        read_gold(gold, tmp_path)
    assert str(gold) in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_gold_file_on_the_command_line_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles, gold = write_day(tmp_path / "day1", {"a.txt": (ROBBERY, "robbery")})
    gold.write_text("file,story_id\nb.txt,robbery\n")
    code = main(["bench", "memory", "--day", str(articles), str(gold), "--day", str(articles), str(gold)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and f"{gold}:2" in err[0] and "Traceback" not in err[0]


def case(verdict: str, continuation: bool, headline: str = "h") -> Case:
    return Case("2026-03-04", verdict, continuation, "g", headline, ())


def test_figures_count_each_kind_of_decision() -> None:
    cases = [
        case("update", True),
        case("update", True),
        case("update", False, "false update"),
        case("left out", True),
        case("new", True, "missed"),
        case("new", False),
        case("left out", False, "lost"),
    ]
    figures = score(cases)
    assert figures["update_precision"] == round(2 / 3, 4)
    assert figures["continuation_recall"] == 0.75  # 3 of the 4 continuations were caught
    assert (figures["lost"], figures["false_updates"], figures["missed_continuations"]) == (1, 1, 1)
    assert [c.headline for c in worst(cases)] == ["lost", "false update", "missed"]
    assert score([])["update_precision"] is None


def test_two_small_days_built_for_real(tmp_path: Path, make_config) -> None:
    # (another robbery on day two would test same-day merging too: see test_followup for that)
    day1 = write_day(tmp_path / "day1", {"r.txt": (ROBBERY, "kelso"), "c.txt": (CYCLE_LANES, "lanes")})
    day2 = write_day(
        tmp_path / "day2",
        {"t.txt": (RETOLD, "kelso"), "f.txt": (CHARGED, "kelso"), "s.txt": (ROBOTICS, "robotics")},
    )
    days = [Day(folder, read_gold(gold, folder)) for folder, gold in (day1, day2)]
    report = run_days(make_config(), days, date(2026, 3, 3), top=100)
    json.dumps(report)  # what the command prints
    assert report["new"] == 1 and report["stories"] == report["continuations"] + 1
    assert report["lost"] == 0 and report["false_updates"] == 0 and report["missed_continuations"] == 0
    assert report["update_precision"] == 1.0 and report["continuation_recall"] == 1.0
    (day,) = report["days"]
    assert day["date"] == "2026-03-04" and day["memory_seconds_cached"] >= 0
