"""Pieces every CP-SAT model here shares: named guards for hard rules and named penalty terms."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypedDict, Unpack

from ortools.sat.python import cp_model, cp_model_helper

from solver.instance import Options
from solver.plan import About, Conflict, Cost
from solver.rules import RULES, weight


@dataclass(frozen=True)
class Term(About):
    """A soft rule's share of the objective: `weight(rule) * expr`, with what it is about for the breakdown
    (grouping groups are renumbered once solved)."""

    rule: str
    expr: cp_model.LinearExprT
    scale: int = 0  # weight override for rules whose weight depends on the instance

    @property
    def weight(self) -> int:
        return self.scale or weight(self.rule)


class Involved(TypedDict, total=False):
    """What a guarded rule involves, as named in its `Conflict`."""

    students: tuple[str, ...]
    adults: tuple[str, ...]
    stations: tuple[str, ...]
    times: tuple[str, ...]


@dataclass
class Guards:
    """When explaining, each hard rule holds only under a named literal we can assume true."""

    model: cp_model.CpModel
    enabled: bool = False
    named: dict[int, Conflict] = field(default_factory=dict)
    literals: list[cp_model.IntVar] = field(default_factory=list)

    def __call__(self, rule: str, label: str, *classes: str, **involved: Unpack[Involved]) -> list:
        if not self.enabled:
            return []
        lit = self.model.new_bool_var(f"holds[{rule}: {label}]")
        self.named[lit.index] = Conflict(rules=(label,), reason=rule, classes=classes, **involved)
        self.literals.append(lit)
        return [lit]


# CP-SAT's deterministic time ran at about half the wall clock on a modest 2-core laptop when this was set
# (the shared-staff benchmark). Now it runs at 0.85-0.9 per second on the shared-staff models here, so a seeded
# 10 s limit ends after about 6 s: to be measured again before it is changed.
DETERMINISTIC_PER_SECOND = 0.5


def new_solver(options: Options, explaining: bool = False, lb_search: bool = True, gap: int = 0,
               portfolio: bool = False, tight: bool = False) -> cp_model.CpSolver:
    """A solver set up to give the same answer on every run with the same seed; it stops once it proves its
    plan costs at most `gap` more than the best possible. With `portfolio`, one seeded worker still takes
    turns at all of CP-SAT's searches (local search, neighbourhoods), as several workers do. `tight`: see
    TIGHT_LP."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.random_seed = options.seed
    if options.reproducible:
        p.max_deterministic_time = options.time_limit * DETERMINISTIC_PER_SECOND
        p.max_time_in_seconds = 4 * options.time_limit + 5
    else:
        p.max_time_in_seconds = options.time_limit
    # One worker is deterministic (and fastest on class-sized models); more interleave to stay so.
    # The assumption core is only reported by a single worker.
    p.num_workers = 1 if explaining else options.workers
    p.interleave_search = (p.num_workers > 1 or portfolio) and options.reproducible
    # Raising the lower bound by search proves class-sized rotations optimal several times sooner (but slows
    # regrouping's fewest moves sixtyfold: that model leaves it out); the portfolio finds balanced groupings
    # several times sooner (and stalls with that search among its turns).
    p.use_objective_lb_search = p.num_workers == 1 and not p.interleave_search and lb_search
    if tight:
        _tighten(p)
    if gap:
        p.absolute_gap_limit = gap
    return solver


# Classes sharing staff and carts: the second level of linear relaxation (each max and each at-most-one as
# its LP rows) bounds the cost well enough by itself, eagerly and with no cuts, searched from the first plan's
# hint (measured on the four-class demo: proven in 1.4-1.6 s, against no proof in 40 s at the first level,
# and 3.6-5.3 s with cuts and the lower-bound search).
TIGHT_LP = {"linearization_level": 2, "cut_level": 0, "add_lp_constraints_lazily": False,
            "use_objective_lb_search": False}


def _tighten(p: cp_model_helper.SatParameters) -> None:
    """One worker searches with TIGHT_LP; of several, one of them does."""
    if p.num_workers == 1:
        _set(p, TIGHT_LP)
        return
    tight = cp_model_helper.SatParameters()
    _set(tight, {"name": "tight_lp", **TIGHT_LP})
    p.subsolver_params.append(tight)
    p.subsolvers.append("tight_lp")


def _set(p: cp_model_helper.SatParameters, values: Mapping[str, object]) -> None:
    for name, value in values.items():
        setattr(p, name, value)


def spent(solver: cp_model.CpSolver, options: Options) -> float:
    """What a solve used of the time limit, in seconds."""
    if options.reproducible:
        return solver.response_proto.deterministic_time / DETERMINISTIC_PER_SECOND
    return solver.wall_time


def apply_rules(m: Any, stage: str, functions: Mapping[str, Callable[[Any], object]], soft: bool = True) -> None:
    """Add the stage's rules to the model in the order of solver/rules.py (its soft ones only when `soft`), each
    by its function in `functions`."""
    for rule in RULES:
        if rule.stage == stage and (rule.hard or soft):
            if rule.name not in functions:
                raise LookupError(f"rule {rule.name!r} of solver/rules.py has no {stage} function")
            functions[rule.name](m)


def objective(terms: list[Term]) -> cp_model.LinearExprT:
    return sum(t.weight * t.expr for t in terms)


def costs(solver: cp_model.CpSolver, terms: list[Term], numbering: Mapping[int, int] | None = None) -> list[Cost]:
    """The breakdown: every term that cost something in the solution found (groups as the plan numbers them)."""
    out = []
    for t in terms:
        value = int(solver.value(t.expr))
        if value:
            about = {f.name: getattr(t, f.name) for f in fields(About)}
            about["groups"] = tuple((numbering or {}).get(g, g) for g in t.groups)
            out.append(Cost(t.rule, value * t.weight, **about))
    return out
