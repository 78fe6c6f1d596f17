"""`digest bench summaries` on a small corpus written here, through the CLI."""

from __future__ import annotations

import json

from digest.cli import main

ARTICLE = """Council bans cars from the river

The city council voted on Tuesday to ban cars from the river banks.
The ban covers 3 kilometres of road, the council said.
About 43,000 cars used the road each day.
Opponents say traffic has simply moved to nearby streets.
The mayor called the vote a victory for clean air.
"""
REFERENCE = """The city council voted on Tuesday to ban cars from the river banks.
The ban covers 3 kilometres of road, the council said.
About 43,000 cars used the road each day.
"""


def test_bench_summaries_scores_saves_and_reports(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    for number in ("001", "002"):
        (corpus / "article" / "local").mkdir(parents=True, exist_ok=True)
        (corpus / "summary" / "local").mkdir(parents=True, exist_ok=True)
        (corpus / "article" / "local" / f"{number}.txt").write_text(ARTICLE)
        (corpus / "summary" / "local" / f"{number}.txt").write_text(REFERENCE)
    saved = tmp_path / "saved"
    code = main(["bench", "summaries", "--corpus", str(corpus), "--save", str(saved), "--runs", "1"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    scores = report["rouge_f1"]
    assert scores["all"]["articles"] == 2
    assert scores["tune"]["articles"] == 1 and scores["held_out"]["articles"] == 1
    # The reference is exactly the first three sentences, well under 70 words.
    assert scores["all"]["lead3"]["rouge1"] == 100.0
    assert 0 < scores["all"]["system"]["rouge2"] <= 100
    assert report["cut_sentences"] == 0 and report["figures_found_in_source_pct"] == 100.0
    assert report["articles_per_second"] > 0 and report["peak_rss_mb"] > 0
    lines = (saved / "local" / "001.txt").read_text().splitlines()
    assert 1 <= len(lines) <= 3
    assert all(line in ARTICLE for line in lines)  # one whole source sentence per line


def test_bench_summaries_names_a_bad_corpus(tmp_path, capsys):
    assert main(["bench", "summaries", "--corpus", str(tmp_path), "--runs", "1"]) == 2
    assert str(tmp_path) in capsys.readouterr().err
