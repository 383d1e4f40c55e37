"""The balanced deal: a mixed grouping to start the search from, each group's total need near its share.

Balancing need is number partitioning: CP-SAT proves a bound fast, but can take seconds to find a grouping
that meets it. Dealing each kind of student (flags, no data) round the groups and then letting pairs of
groups trade members kind for kind, to the best split of the two, usually lands within a point of need of
the bound in a few milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from itertools import combinations, product
from math import comb, prod

Members = list[list[int]]  # students (by index) of each group
EVERY_SPLIT = 5_000  # two groups of 7 have 3,432 ways to split: all tried in a few milliseconds


def balanced_deal(needs: Sequence[int], kinds: Sequence[Hashable], sizes: Sequence[int]) -> list[int]:
    """A group (0-based) for each student, with `sizes[g]` students in group g and each kind spread evenly."""
    dealt = _deal(needs, kinds, sizes)
    # Two ways to settle a trade that brings a pair nearer their shares; neither always wins, so keep the better.
    trials = [_trade(dealt, needs, kinds, sizes, settle) for settle in (False, True)]
    best = min(trials, key=lambda members: sum(abs(g) for g in _gaps(members, needs, sizes)))
    return [g for _, g in sorted((i, g) for g, ids in enumerate(best) for i in ids)]


def _deal(needs: Sequence[int], kinds: Sequence[Hashable], sizes: Sequence[int]) -> Members:
    """Kind after kind, neediest first, round the groups in turn (each kind evenly), skipping full groups."""
    members: Members = [[] for _ in sizes]
    g = 0
    for i in sorted(range(len(kinds)), key=lambda i: (repr(kinds[i]), -needs[i], i)):
        while len(members[g]) == sizes[g]:
            g = (g + 1) % len(sizes)
        members[g].append(i)
        g = (g + 1) % len(sizes)
    return members


def _gaps(members: Members, needs: Sequence[int], sizes: Sequence[int]) -> list[int]:
    """n * each group's total need - the class total * its size: the mixed grouping's cost, signed."""
    n, total = len(needs), sum(needs)
    return [n * sum(needs[i] for i in ids) - total * size for ids, size in zip(members, sizes, strict=True)]


def _trade(dealt: Members, needs: Sequence[int], kinds: Sequence[Hashable], sizes: Sequence[int],
           settle: bool) -> Members:
    """Pairs of groups, one above its share and one below, split their members anew while that brings them
    nearer their shares; with `settle`, among equally near splits the one leaving one group nearest its share."""
    members = [list(ids) for ids in dealt]
    gaps = _gaps(members, needs, sizes)
    n, total = len(needs), sum(needs)
    traded = True
    while traded:
        traded = False
        for a, b in combinations(range(len(sizes)), 2):
            if gaps[a] * gaps[b] >= 0:
                continue  # on the same side of their shares: no split brings both nearer
            both = gaps[a] + gaps[b]
            now = best = _score(gaps[a], both, settle)
            for chosen in _splits(members[a], members[b], kinds):
                score = _score(n * sum(needs[i] for i in chosen) - total * sizes[a], both, settle)
                if score < best:
                    best, pick = score, chosen
            if best[0] < now[0]:  # the pair's gaps shrink: every trade brings the class nearer, so trading ends
                pool = members[a] + members[b]
                members[a], members[b] = list(pick), [i for i in pool if i not in pick]
                gaps[a] = n * sum(needs[i] for i in pick) - total * sizes[a]
                gaps[b] = both - gaps[a]
                traded = True
    return members


def _score(gap: int, both: int, settle: bool) -> tuple[int, int]:
    """How far a pair is from its shares when the first group's gap is `gap` (and the second's the rest)."""
    return abs(gap) + abs(both - gap), min(abs(gap), abs(both - gap)) if settle else 0


def _splits(a: list[int], b: list[int], kinds: Sequence[Hashable]) -> Iterator[tuple[int, ...]]:
    """Choices of group a's members from both groups, with as many of each kind as a has now: every one while
    they are few (groups of up to about 7), else those that exchange one student, or two while those are few,
    kind for kind."""
    pool: dict[Hashable, list[int]] = defaultdict(list)
    wanted: dict[Hashable, int] = defaultdict(int)
    for i in a + b:
        pool[kinds[i]].append(i)
    for i in a:
        wanted[kinds[i]] += 1
    if prod(comb(len(ids), wanted[kind]) for kind, ids in pool.items()) <= EVERY_SPLIT:
        for parts in product(*(combinations(ids, wanted[kind]) for kind, ids in pool.items())):
            yield tuple(i for part in parts for i in part)
        return
    swaps = [(i, j) for i in a for j in b if kinds[i] == kinds[j]]
    for i, j in swaps:
        yield tuple(j if k == i else k for k in a)
    for (i1, j1), (i2, j2) in combinations(swaps, 2) if comb(len(swaps), 2) <= EVERY_SPLIT else ():
        if i1 != i2 and j1 != j2:
            yield tuple(j1 if k == i1 else j2 if k == i2 else k for k in a)
