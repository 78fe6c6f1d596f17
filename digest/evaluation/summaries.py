"""Score the summariser on a folder of articles with reference summaries.

The folder has the layout of the BBC dev set: `article/<topic>/NNN.txt` (the
headline on the first line, then the text) and `summary/<topic>/NNN.txt` (the
reference). Prints JSON: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (rouge-score,
stemmed) for the system, for Lead (the opening words) and Lead-3 cut to
the same word budget, mean
words, the share of summary figures found in the source, cut sentences,
articles per second after the model is loaded (median of --runs; also per
CPU second, and the load average, since a shared machine skews wall time),
model load seconds and peak RSS. Figures are given for all articles and for two fixed
halves: `tune` (odd file numbers, the only ones the weights were tuned on)
and `held_out` (even file numbers, never tuned on).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from digest.config import Config
from digest.errors import DigestError
from digest.models import Article
from digest.summarise.summariser import Summariser, load_summariser
from digest.text.figures import figures
from digest.text.sentences import split_sentences

METRICS = ("rouge1", "rouge2", "rougeLsum")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder with article/<topic>/NNN.txt and summary/<topic>/NNN.txt",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="DIR",
        help="write each system summary to DIR/<topic>/NNN.txt, one sentence per line",
    )
    parser.add_argument(
        "--model", metavar="M", help="summariser.model to use (default: the config's, 'extractive')"
    )
    parser.add_argument(
        "--tiny",
        choices=("seq2seq", "causal"),
        help="build a tiny randomly initialised model of this kind in a temporary "
        "folder and use it as the model (speed of the abstractive path only)",
    )
    parser.add_argument(
        "--max-words",
        type=int,
        metavar="N",
        help="word budget for the system and Lead-3 (default: summariser.max_words)",
    )
    parser.add_argument(
        "--batch-sizes",
        metavar="N,N,...",
        help="also time these batch sizes, e.g. 1,4,16 (for a generative model: "
        "generation alone, without the guard's extractive fallbacks)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="timed passes over the corpus; articles/s is their median (default 3)",
    )


def read_corpus(corpus: Path) -> list[tuple[str, Article, str]]:
    """(topic/NNN, article, reference summary) for every article with a reference."""
    items = []
    for path in sorted((corpus / "article").glob("*/*.txt")):
        name = f"{path.parent.name}/{path.stem}"
        reference = corpus / "summary" / path.parent.name / path.name
        if not reference.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        title, text = (lines[0].strip(), "\n".join(lines[1:])) if lines else ("", "")
        article = Article(title=title, text=text, language="en", path=str(path))
        items.append((name, article, reference.read_text(encoding="utf-8", errors="replace")))
    if not items:
        raise DigestError(f"{corpus}: no article/<topic>/NNN.txt with a matching summary/ file")
    return items


def lead(text: str, max_words: int, sentences: int | None = None) -> str:
    """The opening of the text cut to the word budget (it may end mid-sentence:
    that is the baseline): Lead-3 with `sentences=3`, plain Lead without."""
    words = " ".join(split_sentences(text)[:sentences]).split()[:max_words]
    return " ".join(words)


def rouge(pairs: list[tuple[str, str]]) -> list[dict[str, float]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)

    def lines(text: str) -> str:  # ROUGE-Lsum reads one sentence per line
        return "\n".join(split_sentences(text))

    return [
        {m: s.fmeasure * 100 for m, s in scorer.score(lines(ref), lines(hyp)).items()} for hyp, ref in pairs
    ]


def mean_scores(rows: list[dict[str, float]]) -> dict[str, float]:
    return {m: round(statistics.fmean(r[m] for r in rows), 2) for m in METRICS}


def throughput(summariser: Summariser, articles: list[Article], runs: int) -> dict[str, float]:
    """Median articles per wall second, and per CPU second of this process (the
    second tells a busy shared machine from a slow summariser)."""
    wall, cpu = [], []
    for _ in range(max(1, runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        summariser.summarise_articles(articles)
        wall.append(len(articles) / (time.perf_counter() - start))
        cpu.append(len(articles) / (time.process_time() - start_cpu))
    return {
        "articles_per_second": round(statistics.median(wall), 2),
        "articles_per_cpu_second": round(statistics.median(cpu), 2),
    }


def generation_rate(engine: Any, articles: list[Article], size: int, runs: int) -> float:
    """Median articles per second that `engine.generate` writes in length-sorted batches."""
    ordered = sorted(articles, key=lambda a: len(a.text))
    rates = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        for i in range(0, len(ordered), size):
            engine.generate(ordered[i : i + size])
        rates.append(len(ordered) / (time.perf_counter() - start))
    return round(statistics.median(rates), 2)


def figures_found(summaries: list[str], articles: list[Article]) -> float:
    total = found = 0
    for summary, article in zip(summaries, articles, strict=True):
        source = figures(article.title + " " + article.text)
        total += len(figures(summary))
        found += len(figures(summary) & source)
    return round(100.0 * found / total, 2) if total else 100.0


def cut_sentences(summaries: list[str]) -> int:
    return sum(1 for s in summaries for sentence in split_sentences(s) if sentence[-1] not in ".!?\"'”’)")


def save(folder: Path, names: list[str], summaries: list[str]) -> None:
    for name, summary in zip(names, summaries, strict=True):
        target = folder / f"{name}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(split_sentences(summary)) + "\n", encoding="utf-8")


def report(
    names: list[str], articles: list[Article], references: list[str], summaries: list[str], max_words: int
) -> dict[str, Any]:
    system = rouge(list(zip(summaries, references, strict=True)))
    baselines = {
        "lead3": rouge([(lead(a.text, max_words, 3), r) for a, r in zip(articles, references, strict=True)]),
        "lead": rouge([(lead(a.text, max_words), r) for a, r in zip(articles, references, strict=True)]),
    }
    halves: dict[str, Callable[[str], bool]] = {
        "all": lambda n: True,
        "tune": lambda n: int(n.split("/")[1]) % 2 == 1,
        "held_out": lambda n: int(n.split("/")[1]) % 2 == 0,
    }
    out: dict[str, Any] = {}
    for half, keep in halves.items():
        idx = [i for i, n in enumerate(names) if keep(n)]
        scores = {"system": mean_scores([system[i] for i in idx])}
        for name, rows in baselines.items():
            scores[name] = mean_scores([rows[i] for i in idx])
        out[half] = {
            "articles": len(idx),
            **scores,
            "gain_over_lead": {m: round(scores["system"][m] - scores["lead"][m], 2) for m in METRICS},
        }
    return out


def main(args: argparse.Namespace, config: Config) -> int:
    settings = config.summariser
    if args.max_words:
        settings = replace(settings, max_words=args.max_words)
    with tempfile.TemporaryDirectory() as tmp:
        if args.tiny:
            from digest.benchmarks.tiny_models import build

            settings = replace(settings, model=str(build(args.tiny, Path(tmp) / "tiny")))
        elif args.model:
            settings = replace(settings, model=args.model)
        items = read_corpus(args.corpus)
        names = [n for n, _, _ in items]
        articles = [a for _, a, _ in items]
        references = [r for _, _, r in items]
        start = time.perf_counter()
        import torch  # noqa: F401 - timed apart: the libraries, then the model
        import transformers  # noqa: F401

        import_seconds = time.perf_counter() - start
        start = time.perf_counter()
        summariser = load_summariser(settings, None)  # no state: nothing comes from a cache
        load_seconds = time.perf_counter() - start
        summaries = [a.summary for a in summariser.summarise_articles(articles)]
        result = {
            "corpus": str(args.corpus),
            "model": settings.model if not args.tiny else f"tiny {args.tiny}",
            "max_words": settings.max_words,
            "rouge_f1": report(names, articles, references, summaries, settings.max_words),
            "mean_words": round(statistics.fmean(len(s.split()) for s in summaries), 1),
            "empty_summaries": sum(1 for s in summaries if not s),
            "figures_found_in_source_pct": figures_found(summaries, articles),
            "cut_sentences": cut_sentences(summaries),
            "import_torch_transformers_seconds": round(import_seconds, 2),
            "model_load_seconds": round(load_seconds, 2),
            **throughput(summariser, articles, args.runs),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        if args.batch_sizes:
            sizes = [int(size) for size in args.batch_sizes.split(",")]
            if summariser.engine is summariser.extractive:
                result["articles_per_second_by_batch_size"] = {
                    size: throughput(with_batch_size(summariser, size), articles, args.runs)[
                        "articles_per_second"
                    ]
                    for size in sizes
                }
            else:  # generation alone: the guard's fallbacks would hide the batching
                result["generated_articles_per_second_by_batch_size"] = {
                    size: generation_rate(summariser.engine, articles, size, args.runs) for size in sizes
                }
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.save:
        save(args.save, names, summaries)
    print(json.dumps(result, indent=2))
    return 0


def with_batch_size(summariser: Summariser, size: int) -> Summariser:
    """The same loaded models, batched by `size` articles."""
    settings = replace(summariser.settings, batch_size=size)
    return Summariser(settings, None, summariser.engine, summariser.extractive)
