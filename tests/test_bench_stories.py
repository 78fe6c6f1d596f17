"""`digest bench stories`: gold file checks, the story-level figures, and a run end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.benchmarks.stories import evaluate, read_gold
from digest.cli import main as digest_main
from digest.errors import DigestError
from digest.models import Article


def gold_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gold.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_gold_rows_are_read_by_file_name(tmp_path):
    gold = read_gold(
        gold_file(tmp_path, "file,story_id,language\na.json,s1,en\nb.json,s1,en\nc.json,s2,de\n")
    )
    assert {n: r.story for n, r in gold.items()} == {"a.json": "s1", "b.json": "s1", "c.json": "s2"}
    assert gold["c.json"].row == 4 and gold["c.json"].language == "de"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file,story,language\na.json,s1,en\n", r"gold.csv: unknown column\(s\) story; missing story_id"),
        (
            "file,story_id,language\na.json,s1,en\na.json,s2,en\n",
            r"gold.csv:3: a.json is listed twice \(first on row 2\)",
        ),
        ("file,story_id,language\na.json,,en\n", r"gold.csv:2: empty file or story_id"),
        ("file,story_id,language\n", r"gold.csv: no gold row"),
    ],
)
def test_a_bad_gold_file_gets_one_line_naming_file_and_row(tmp_path, text, message):
    with pytest.raises(DigestError, match=message):
        read_gold(gold_file(tmp_path, text))


def test_a_missing_gold_file_is_named(tmp_path):
    with pytest.raises(DigestError, match=r"nothing\.csv: cannot read gold file"):
        read_gold(tmp_path / "nothing.csv")


def article(title: str) -> Article:
    return Article(title=title, text=title, language="en")


def test_figures_of_a_wrong_merge_and_a_wrong_split():
    gold = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    articles = {name: article(f"headline {name}") for name in gold}
    # a3 is split from its story and glued to B
    report = evaluate([["a1", "a2"], ["a3", "b1", "b2"]], gold, articles)
    # B-cubed precision: a1, a2 -> 1; a3 -> 1/3; b1, b2 -> 2/3 each: (2 + 1/3 + 4/3) / 5
    assert report["bcubed"]["precision"] == pytest.approx(11 / 15, abs=1e-4)
    # recall: a1, a2 -> 2/3; a3 -> 1/3; b1, b2 -> 1: (4/3 + 1/3 + 2) / 5
    assert report["bcubed"]["recall"] == pytest.approx(11 / 15, abs=1e-4)
    # pairs put together: (a1,a2), (a3,b1), (a3,b2), (b1,b2): two right of four; gold has 3 + 1 pairs
    assert report["pairwise"]["precision"] == 0.5 and report["pairwise"]["recall"] == 0.5
    assert report["stories"] == {"predicted": 2, "gold": 2}
    merge = report["wrong_merges"][0]
    assert merge["wrong_pairs"] == 2
    assert {(p["gold"], p["articles"]) for p in merge["parts"]} == {("A", 1), ("B", 2)}
    split = report["wrong_splits"][0]
    assert split["gold"] == "A" and split["lost_pairs"] == 2
    assert sorted(p["articles"] for p in split["parts"]) == [1, 2]


def test_perfect_stories_score_one():
    gold = {"a1": "A", "a2": "A", "b1": "B"}
    report = evaluate([["a1", "a2"], ["b1"]], gold, {n: article(n) for n in gold})
    assert report["bcubed"]["f1"] == 1.0 and report["pairwise"]["f1"] == 1.0
    assert report["wrong_merges"] == [] and report["wrong_splits"] == []


QUAKE = (
    "Strong earthquake shakes Aceh",
    "A 6.1-magnitude earthquake struck Aceh province in Indonesia on Tuesday, July 2, 2013, killing at least "
    "five people and injuring dozens, officials said. Houses collapsed in the mountain town of Takengon.",
)
QUAKE_TOO = (
    "Deadly quake hits Indonesia's Aceh",
    "At least five people were killed when an earthquake of magnitude 6.1 hit Aceh in Indonesia on "
    "July 2, 2013, the disaster agency said. Dozens were injured as homes collapsed around Takengon.",
)
BREAD = (
    "Bakery wins prize for rye bread",
    "A small bakery in Leeds won the national bread award for its sourdough rye, the judges announced. "
    "The owners said they would use the prize money to buy a second oven.",
)


def test_bench_stories_end_to_end_with_a_skipped_article(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (title, text) in {"q1.json": QUAKE, "q2.json": QUAKE_TOO, "bread.json": BREAD}.items():
        (folder / name).write_text(json.dumps({"title": title, "text": text}), encoding="utf-8")
    (folder / "empty.json").write_text(json.dumps({"title": "", "text": ""}), encoding="utf-8")
    gold = gold_file(
        tmp_path, "file,story_id,language\nq1.json,q,en\nq2.json,q,en\nbread.json,b,en\nempty.json,e,en\n"
    )
    saved = tmp_path / "out.json"
    assert digest_main(["bench", "stories", str(folder), "--gold", str(gold), "--save", str(saved)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(saved.read_text(encoding="utf-8"))
    assert report["skipped"] == 1 and report["not_in_gold"] == 0
    assert report["stories"] == {"predicted": 3, "gold": 3}
    assert report["bcubed"]["f1"] == 1.0 and report["pairwise"]["precision"] == 1.0
    assert report["top_ten"]["held"] == 2 and report["top_ten"]["of"] == 2


def test_bench_stories_names_a_gold_row_without_its_file(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "q1.json").write_text(json.dumps({"title": QUAKE[0], "text": QUAKE[1]}), encoding="utf-8")
    gold = gold_file(tmp_path, "file,story_id,language\nq1.json,q,en\nq9.json,q,en\n")
    assert digest_main(["bench", "stories", str(folder), "--gold", str(gold)]) != 0
    err = capsys.readouterr().err
    assert "gold.csv:3: no article file named q9.json" in err and "Traceback" not in err
