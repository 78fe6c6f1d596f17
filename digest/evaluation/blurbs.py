"""Score story blurbs on multi-document summarisation clusters, beside Lead and round robin.

DIR holds `<dataset>/<cluster>/articles/*.json` (the article shape `digest
build` reads) and `<dataset>/<cluster>/reference*.txt` (one human summary per
file). Each cluster is taken as one story with all its articles as members
(the gold grouping, so this measures the blurb alone) and goes through the
same cleaning, per-article summaries, headline choice and blurb code as
`digest build`, at the configured `[summariser]` budget.

Prints JSON per dataset: ROUGE-1/2/Lsum F1 (rouge-score, stemmed, averaged
over a cluster's references, then over clusters) for the blurb, for Lead (the
opening of the newest article) and for round robin (the first sentence of each
article in turn, then the second...), both cut to the blurb's own word count;
then mean words, blurbs cut mid-sentence or over budget, figures not in any
source, redundancy (the largest content-word overlap of two blurb sentences),
blurbs opening a sentence on missing context, and clusters with furniture in
the headline or blurb. A cluster with no reference, an empty reference or an
article the cleaner rejects gets one warning and is left out (and counted).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from digest.clean.cleaner import clean_article
from digest.config import Config
from digest.dedup.deduplicator import best_member
from digest.errors import DigestError
from digest.evaluation.summaries import METRICS, rouge
from digest.ingest.files import read_paths
from digest.models import Article, Story
from digest.pipeline import story_language
from digest.summarise.standalone import context_gaps
from digest.summarise.summariser import load_summariser
from digest.text.concepts import overlap
from digest.text.dateline import ends_at_abbreviation, has_dateline
from digest.text.figures import figures
from digest.text.sentences import is_furniture, split_sentences

log = logging.getLogger(__name__)

SYSTEMS = ("blurb", "lead", "round_robin")
REDUNDANT = 0.5  # content-word overlap above which two sentences say the same thing


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder with <dataset>/<cluster>/articles/*.json and <dataset>/<cluster>/reference*.txt",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="OUT.json",
        help='write one JSON object per cluster: {"dataset", "cluster", "headline", "blurb"}',
    )


@dataclass
class Cluster:
    dataset: str
    name: str
    articles: list[Article]
    references: list[str]
    headline: str = ""
    blurb: str = ""
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


def read_clusters(corpus: Path) -> tuple[list[Cluster], list[str]]:
    """The usable clusters, and the names of those left out (each with one warning)."""
    clusters: list[Cluster] = []
    left_out: list[str] = []
    for folder in sorted(p for p in corpus.glob("*/*") if p.is_dir()):
        name = f"{folder.parent.name}/{folder.name}"
        problem, cluster = read_cluster(folder)
        if cluster is None:
            log.warning("%s: left out of the means: %s", folder, problem)
            left_out.append(name)
        else:
            clusters.append(cluster)
    return clusters, left_out


def read_cluster(folder: Path) -> tuple[str, Cluster | None]:
    paths = sorted(folder.glob("reference*.txt"))
    if not paths:
        return "no reference*.txt", None
    references = [p.read_text(encoding="utf-8", errors="replace").strip() for p in paths]
    if empty := [p.name for p, r in zip(paths, references, strict=True) if not r]:
        return f"empty reference {', '.join(empty)}", None
    if not (folder / "articles").is_dir():
        return "no articles/ folder", None
    raws = read_paths([folder / "articles"])
    if not raws:
        return "no readable article in articles/", None
    articles = []
    for raw in raws:
        article = clean_article(raw)
        if article is None:
            return f"the cleaner rejects {raw.origin}", None
        articles.append(article)
    return "", Cluster(folder.parent.name, folder.name, articles, references)


def newest(articles: list[Article]) -> Article:
    """The most recent article (the last file when times are missing): DUC's Lead baseline."""
    floor = datetime.min

    def key(i: int) -> tuple[datetime, int]:
        published = articles[i].published
        return (published.replace(tzinfo=None) if published else floor, i)

    return articles[max(range(len(articles)), key=key)]


def cut(sentences: list[str], words: int) -> str:
    return " ".join(" ".join(sentences).split()[:words])


def lead(articles: list[Article], words: int) -> str:
    article = newest(articles)
    return cut(split_sentences(article.text, article.language), words)


def round_robin(articles: list[Article], words: int) -> str:
    """First sentence of each article in turn, then the second..., cut to `words`."""
    split = [split_sentences(a.text, a.language) for a in articles]
    turns = [s[i] for i in range(max(map(len, split), default=0)) for s in split if i < len(s)]
    return cut(turns, words)


def score(summary: str, references: list[str]) -> dict[str, float]:
    """ROUGE F1 against each reference (as `bench summaries` scores), averaged over them."""
    rows = rouge([(summary, ref) for ref in references])
    return {m: statistics.fmean(r[m] for r in rows) for m in METRICS}


def checks(cluster: Cluster, max_words: int) -> dict[str, Any]:
    """The editor's checks on one blurb: what a reader would notice."""
    sentences = split_sentences(cluster.blurb)
    source = frozenset().union(*(figures(a.title + " " + a.text) for a in cluster.articles))
    pairs = [overlap(a, b) for i, a in enumerate(sentences) for b in sentences[i + 1 :]]
    furniture = [s for s in [cluster.headline, *sentences] if is_furniture(s) or has_dateline(s)]
    if ends_at_abbreviation(cluster.headline):
        furniture.append(cluster.headline)
    return {
        "words": len(cluster.blurb.split()),
        "cut": any(s[-1] not in ".!?\"'”’)" for s in sentences) or len(cluster.blurb.split()) > max_words,
        "figures_not_in_source": sorted(figures(cluster.blurb) - source),
        "redundancy": max(pairs, default=0.0),
        "context_gaps": context_gaps(cluster.headline, sentences, cluster.articles),
        "furniture": furniture,
    }


def summary_of(clusters: list[Cluster], found: list[dict[str, Any]]) -> dict[str, Any]:
    means = {
        system: {m: round(statistics.fmean(c.scores[system][m] for c in clusters), 2) for m in METRICS}
        for system in SYSTEMS
    }
    return {
        "clusters": len(clusters),
        "rouge_f1": means,
        "gain_over_lead": {m: round(means["blurb"][m] - means["lead"][m], 2) for m in METRICS},
        "mean_words": round(statistics.fmean(f["words"] for f in found), 1),
        "empty_blurbs": sum(1 for c in clusters if not c.blurb),
        "cut_or_over_budget": sum(1 for f in found if f["cut"]),
        "blurbs_with_figures_not_in_source": sum(1 for f in found if f["figures_not_in_source"]),
        "mean_redundancy": round(statistics.fmean(f["redundancy"] for f in found), 3),
        "blurbs_with_redundancy_over_0.5": sum(1 for f in found if f["redundancy"] > REDUNDANT),
        "blurbs_opening_on_missing_context": sum(1 for f in found if f["context_gaps"]),
        "clusters_with_furniture": sum(1 for f in found if f["furniture"]),
    }


def main(args: argparse.Namespace, config: Config) -> int:
    clusters, left_out = read_clusters(args.corpus)
    if not clusters:
        raise DigestError(
            f"{args.corpus}: no usable cluster (<dataset>/<cluster>/articles/*.json and reference*.txt)"
        )
    settings = config.summariser
    summariser = load_summariser(settings, None)  # no state: nothing comes from a cache
    everything = summariser.summarise_articles([a for c in clusters for a in c.articles])
    start, blurb_seconds = 0, []
    for c in clusters:
        c.articles, start = everything[start : start + len(c.articles)], start + len(c.articles)
        story = Story(members=c.articles, best=best_member(c.articles, config.digest.language))
        story.language = story_language(story, config.digest.language)
        began = time.perf_counter()
        c.blurb = summariser.summarise_story(story)
        blurb_seconds.append(time.perf_counter() - began)
        c.headline = story.headline
    details = {}
    result: dict[str, Any] = {"corpus": str(args.corpus), "max_words": settings.max_words}
    for dataset in sorted({c.dataset for c in clusters}):
        group = [c for c in clusters if c.dataset == dataset]
        found = []
        for c in group:
            words = len(c.blurb.split()) or settings.max_words
            c.scores = {
                "blurb": score(c.blurb, c.references),
                "lead": score(lead(c.articles, words), c.references),
                "round_robin": score(round_robin(c.articles, words), c.references),
            }
            found.append(checks(c, settings.max_words))
            details[f"{dataset}/{c.name}"] = found[-1]
        result[dataset] = summary_of(group, found)
    result["left_out"] = left_out
    result["median_blurb_seconds_per_story"] = round(statistics.median(blurb_seconds), 4)
    flagged = {k: v for k, v in details.items() if v["context_gaps"] or v["furniture"] or v["cut"]}
    log.info("clusters with an opening on missing context, furniture or a cut: %s", json.dumps(flagged))
    if args.save:
        rows = [
            {"dataset": c.dataset, "cluster": c.name, "headline": c.headline, "blurb": c.blurb}
            for c in clusters
        ]
        args.save.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0
