"""Regrouping (`--previous LAST --regroup`) in the solver: groups near the best for the new needs, fewest moves."""

from __future__ import annotations

from dataclasses import replace

from solver.instance import REGROUP_TOLERANCE, Instance, Previous
from solver.plan import Result
from tests.solver.factory import sped_class


def with_previous(instance: Instance, groups: dict[str, int], regroup: bool) -> Instance:
    cls = instance.classes[0]
    return replace(instance, previous=Previous({(cls.id, s): g for s, g in groups.items()}, regroup=regroup))


def bands(instance: Instance) -> dict[str, int]:
    """Last week's groups: the four need bands of six, the neediest first."""
    return {s.id: i // 6 + 1 for i, s in enumerate(instance.classes[0].students)}


def spread(result: Result) -> int:
    return sum(c.cost for c in result.costs if c.rule == "need_spread")


def test_no_grouping_near_the_best_has_a_rotation_so_the_best_that_has_one(planned) -> None:
    """Last week's bands are this week's best grouping, but S1's band of six cannot sit at the 5-seat SPED table:
    regrouping ends with the best grouping that has a rotation, as a fresh plan would, moves charged."""
    sped = sped_class(5)
    fresh = planned(sped)
    result = planned(with_previous(sped, bands(sped), regroup=True))
    assert result.plan is not None and fresh.plan is not None
    groups = result.plan.classes["3A"].groups
    assert sum(1 for g in groups.values() if g == groups["S1"]) == 5
    assert spread(result) == spread(fresh)
    # One student moves out of S1's group, charged as a move; keeping last week's groups moves no more.
    assert len([c for c in result.costs if c.rule == "keep_group"]) == 1
    kept = planned(with_previous(sped, bands(sped), regroup=False))
    assert len([c for c in kept.costs if c.rule == "keep_group"]) == 1


def test_regroup_stays_within_the_tolerance_of_the_best(planned) -> None:
    """Last week: bands shuffled so that every group mixes all needs. Regrouping pays the moves to reach the
    best grouping's spread (within the tolerance); keeping pays the spread to avoid them."""
    sped = sped_class(5)
    ids = [s.id for s in sped.classes[0].students]
    mixed = {s: i % 4 + 1 for i, s in enumerate(ids)}
    fresh = planned(sped)
    regrouped = planned(with_previous(sped, mixed, regroup=True))
    kept = planned(with_previous(sped, mixed, regroup=False))
    assert spread(regrouped) <= spread(fresh) * (1 + REGROUP_TOLERANCE)
    assert spread(kept) > spread(regrouped)
