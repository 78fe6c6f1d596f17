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
dense work (scipy's O(k^2) average linkage) to the small components: most
articles of a day are alone, so the cost beyond finding candidate pairs stays
close to linear in practice. Pairs not given (below the candidate floor)
count as score 0.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

Pair = tuple[int, int, float]


def average_linkage(n: int, pairs: Iterable[Pair], threshold: float) -> list[list[int]]:
    """Group items 0..n-1; each group is sorted, groups ordered by first item."""
    pairs = [(i, j, s) for i, j, s in pairs if i != j]
    found = components(n, [(i, j) for i, j, s in pairs if s >= threshold])
    where = {item: c for c, members in enumerate(found) for item in members}
    inside: list[list[Pair]] = [[] for _ in found]  # each pair, once, with its component
    for i, j, s in pairs:
        if where[i] == where[j]:
            inside[where[i]].append((i, j, s))
    groups: list[list[int]] = []
    for members, component_pairs in zip(found, inside, strict=True):
        groups.extend(_link_component(members, component_pairs, threshold))
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
    """Average linkage (scipy's, O(k^2)) on 1 - score, cut at 1 - threshold."""
    if len(members) == 1:
        return [members]
    index = {m: k for k, m in enumerate(members)}
    distance = np.ones((len(members), len(members)))
    for i, j, s in pairs:
        a, b = index[i], index[j]
        distance[a, b] = distance[b, a] = 1.0 - min(max(s, 0.0), 1.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    # Average linkage never merges below an earlier merge (no inversions), so
    # cutting the tree at 1 - threshold is the same as merging while the best
    # average score is at least the threshold. A hair of slack keeps a merge
    # exactly at the threshold despite float rounding.
    labels = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    groups: dict[int, list[int]] = {}
    for member, label in zip(members, labels, strict=True):
        groups.setdefault(int(label), []).append(member)
    return list(groups.values())


def merge_compatible(
    groups: list[list[int]],
    pairs: Iterable[Pair],
    floor: float,
    compatible: Callable[[list[int], list[int]], bool],
) -> list[list[int]]:
    """Continue average linkage below its threshold, down to `floor`, for compatible groups only.

    Average linkage at the decision threshold leaves a real story in parts
    when some of its articles are worded far from the rest (a short wire
    item, a text whose title is a time stamp): their average score to the
    story falls between `floor` and the threshold. Lower the threshold for
    everyone and two similar events merge too; so below the threshold two
    groups merge only when `compatible(a, b)` says the facts allow it (no
    member contradicts another on when or how many, and the two agree on
    some fact). Best average first, as average linkage would; a merged group
    is compared afresh. Pairs not given count as 0, as in `average_linkage`.

    Cost: a heap entry per pair of groups whose average passes `floor`, and
    `compatible` only for those; a merge visits the neighbours of the two
    groups (on a day of news few pairs of groups pass the floor).
    """
    members = {k: list(g) for k, g in enumerate(groups)}
    where = {m: k for k, g in members.items() for m in g}
    links: dict[int, dict[int, float]] = {k: {} for k in members}  # group -> other group -> sum of scores
    for i, j, s in pairs:
        a, b = where[i], where[j]
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + s
            links[b][a] = links[b].get(a, 0.0) + s
    # only pairs of groups at or above the floor enter the heap: the rest can never join
    heap = [
        (-average, a, b)
        for a in links
        for b, total in links[a].items()
        if a < b and (average := total / (len(members[a]) * len(members[b]))) >= floor
    ]
    heapq.heapify(heap)
    label = len(groups)
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in members or b not in members or not compatible(members[a], members[b]):
            continue
        merged, label = label, label + 1
        members[merged] = members.pop(a) + members.pop(b)
        links[merged] = {}
        for old in (a, b):
            for other, total in links.pop(old).items():
                if other in (a, b):
                    continue
                links[other].pop(old)
                links[merged][other] = links[merged].get(other, 0.0) + total
        for other, total in links[merged].items():
            links[other][merged] = total
            average = total / (len(members[merged]) * len(members[other]))
            if average >= floor:
                heapq.heappush(heap, (-average, min(merged, other), max(merged, other)))
    return sorted((sorted(g) for g in members.values()), key=lambda g: g[0])
