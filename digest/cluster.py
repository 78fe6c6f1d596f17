"""Clustering a day's articles into stories from sparse pair scores.

Linkage: average linkage, cut at the decision threshold, run inside each
connected component of the graph of pairs that score at least the threshold.

Why average linkage: single linkage (plain connected components) chains —
A~B and B~C glue A to an unrelated C, and on a busy day one long chain can
swallow several stories. Complete linkage never chains but splits a real
story as soon as one pair of its members is worded very differently (a short
wire item against a long analysis, a translation). Average linkage merges two
groups only when their members agree *on average*, so one strong bridge
between two otherwise unrelated groups is outvoted by the weak pairs around
it, while one odd pair inside a real story is not.

Why components first: two articles in different components share no pair
above the threshold, so average linkage would never merge them either (every
average across the cut is below the threshold). Splitting first keeps the
dense work to the small components: most articles of a day are alone, so the
cost beyond finding candidate pairs stays close to linear in practice.
Pairs not given (below the candidate floor) count as score 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

Pair = tuple[int, int, float]


def average_linkage(n: int, pairs: Iterable[Pair], threshold: float) -> list[list[int]]:
    """Group items 0..n-1; each group is sorted, groups ordered by first item."""
    pairs = [(i, j, s) for i, j, s in pairs if i != j]
    groups: list[list[int]] = []
    for component in components(n, [(i, j) for i, j, s in pairs if s >= threshold]):
        groups.extend(_link_component(component, pairs, threshold))
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find with path halving)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    found: dict[int, list[int]] = {}
    for i in range(n):
        found.setdefault(root(i), []).append(i)
    return list(found.values())


def _link_component(members: list[int], pairs: list[Pair], threshold: float) -> list[list[int]]:
    if len(members) == 1:
        return [members]
    index = {m: k for k, m in enumerate(members)}
    k = len(members)
    # sums[a, b]: total score between groups a and b; sizes[a]: members of a.
    sums = np.zeros((k, k), dtype=np.float64)
    for i, j, s in pairs:
        a, b = index.get(i), index.get(j)
        if a is not None and b is not None:
            sums[a, b] = sums[b, a] = s
    sizes = np.ones(k)
    alive = np.ones(k, dtype=bool)
    groups = [[m] for m in members]
    while True:
        average = sums / np.outer(sizes, sizes)
        average[~alive, :] = -1.0
        average[:, ~alive] = -1.0
        np.fill_diagonal(average, -1.0)
        a, b = np.unravel_index(int(np.argmax(average)), average.shape)
        if average[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sums[a, a] = 0.0
        sizes[a] += sizes[b]
        alive[b] = False
        groups[a].extend(groups[b])
        groups[b] = []
    return [g for g in groups if g]
