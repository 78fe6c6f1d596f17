"""Average linkage over sparse pair scores: no chaining, exact partition."""

from __future__ import annotations

import numpy as np

from digest.dedup.cluster import average_linkage, components, merge_compatible
from digest.dedup.deduplicator import candidate_pairs


def test_components_of_a_graph():
    assert sorted(map(sorted, components(5, [(0, 1), (3, 4), (1, 0)]))) == [[0, 1], [2], [3, 4]]


def test_a_bridge_does_not_chain_two_groups():
    # 0-1-2 agree strongly, 3-4 agree strongly, and only 2~3 is high: single
    # linkage would glue all five together.
    pairs = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9), (3, 4, 0.9), (2, 3, 0.8)]
    assert average_linkage(5, pairs, 0.5) == [[0, 1, 2], [3, 4]]


def test_a_to_b_to_c_does_not_glue_a_to_c():
    assert average_linkage(3, [(0, 1, 0.7), (1, 2, 0.75)], 0.5) == [[0], [1, 2]]


def test_one_weak_pair_inside_a_story_does_not_split_it():
    # complete linkage would split on the 0.4 pair; the average is still high
    pairs = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.4), (0, 3, 0.8), (1, 3, 0.8), (2, 3, 0.8)]
    assert average_linkage(4, pairs, 0.5) == [[0, 1, 2, 3]]


def test_everything_alone_below_threshold_and_groups_ordered_by_first_item():
    assert average_linkage(3, [(0, 1, 0.2)], 0.5) == [[0], [1], [2]]
    assert average_linkage(4, [(3, 1, 0.9)], 0.5) == [[0], [1, 3], [2]]


def test_candidate_pairs_keep_close_pairs_above_the_floor_and_cap_neighbours():
    rows = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    # cosines: 0-1 0.96, 0-3 0.6, 1-3 0.8, 2-3 0.8, 1-2 0.28, 0-2 0.0
    assert candidate_pairs(rows, floor=0.5) == [(0, 1), (0, 3), (1, 3), (2, 3)]
    # one neighbour each: 0->1, 1->0, 2->3, 3->1 or 3->2 (ties), never the weak 0-3
    assert (0, 3) not in candidate_pairs(rows, floor=0.5, neighbours=1)
    assert candidate_pairs(rows, floor=0.5, block=1) == candidate_pairs(rows, floor=0.5)


def _always(a: list[int], b: list[int]) -> bool:
    return True


def test_compatible_parts_join_down_to_the_floor():
    # 0-1-2 is a story; 3 is a part of it worded far from the rest (average 0.5)
    pairs = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9), (3, 0, 0.6), (3, 1, 0.5), (3, 2, 0.4)]
    linked = average_linkage(4, pairs, 0.6)
    assert linked == [[0, 1, 2], [3]]
    assert merge_compatible(linked, pairs, 0.45, _always) == [[0, 1, 2, 3]]
    assert merge_compatible(linked, pairs, 0.55, _always) == [[0, 1, 2], [3]]


def test_an_incompatible_part_stays_apart_and_the_next_best_is_tried():
    pairs = [(0, 1, 0.9), (2, 0, 0.55), (2, 1, 0.55), (3, 0, 0.5), (3, 1, 0.5)]
    linked = average_linkage(4, pairs, 0.6)

    def not_two(a: list[int], b: list[int]) -> bool:
        return 2 not in a + b

    assert merge_compatible(linked, pairs, 0.45, not_two) == [[0, 1, 3], [2]]


def test_best_average_first_and_a_merged_group_is_compared_afresh():
    # 2 is at 0.5 on average to 0-1; 3 is close to 2 only
    pairs = [(0, 1, 0.9), (2, 0, 0.5), (2, 1, 0.5), (3, 2, 0.52)]
    linked = average_linkage(4, pairs, 0.6)
    assert linked == [[0, 1], [2], [3]]
    # 2-3 (0.52) goes first; then 0-1 against 2-3 averages (0.5 + 0.5) / 4
    assert merge_compatible(linked, pairs, 0.45, _always) == [[0, 1], [2, 3]]
    # 2 joins 0-1 first; then 3 against 0-1-2 averages 0.48 / 3: below the floor
    weaker = [*pairs[:3], (3, 2, 0.48)]
    assert merge_compatible(linked, weaker, 0.45, _always) == [[0, 1, 2], [3]]
