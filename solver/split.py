"""The exact sorted split: the best similar grouping when no rule is in the way.

Sorting by need and cutting into consecutive runs is optimal for the sum of need spreads
(crossing groups can always be uncrossed without widening either), so a small dynamic program
over cut points gives both a hint and a lower bound for the CP-SAT model.
"""

from __future__ import annotations

from collections.abc import Sequence


def sorted_split(needs: Sequence[int], groups: int, min_size: int, max_size: int) -> tuple[int, list[int]] | None:
    """(least total spread, group sizes in order of descending need), or None if sizes can't fit."""
    ordered = sorted(needs, reverse=True)
    n = len(ordered)
    inf = float("inf")
    # best[j][i]: least spread putting the i neediest students into j groups
    best = [[inf] * (n + 1) for _ in range(groups + 1)]
    cut = [[0] * (n + 1) for _ in range(groups + 1)]
    best[0][0] = 0
    for j in range(1, groups + 1):
        for i in range(n + 1):
            for size in range(min_size, min(max_size, i) + 1):
                prev = best[j - 1][i - size]
                if prev == inf:
                    continue
                spread = ordered[i - size] - ordered[i - 1] if size else 0
                if prev + spread < best[j][i]:
                    best[j][i] = prev + spread
                    cut[j][i] = size
    if best[groups][n] == inf:
        return None
    sizes: list[int] = []
    i = n
    for j in range(groups, 0, -1):
        sizes.append(cut[j][i])
        i -= cut[j][i]
    return int(best[groups][n]), sizes[::-1]
