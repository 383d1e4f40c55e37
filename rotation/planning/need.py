"""Need scores from mastery: 1 minus the mean scaled score over the class's focus skills."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from rotation.domain.school import MasteryResult, School, SchoolClass, Skill
from rotation.domain.week import students_of


@dataclass(frozen=True)
class ClassNeed:
    need: dict[str, float]  # student -> 0..1, 1 = needs most support
    skill_need: dict[str, dict[str, float]]  # student -> focus skill -> 0..1
    no_data: tuple[str, ...]  # students with no result on any focus skill (given the class median)


def latest_results(school: School) -> dict[tuple[str, str], MasteryResult]:
    """The newest result per student and skill; undated is oldest, and on a tie the lower row wins."""
    latest: dict[tuple[str, str], MasteryResult] = {}
    oldest = dt.date.min
    for r in school.mastery:
        key = (r.student_id, r.skill)
        held = latest.get(key)
        if held is None or (r.date or oldest) >= (held.date or oldest):
            latest[key] = r
    return latest


def focus_skills(school: School, cls: SchoolClass) -> tuple[str, ...]:
    if cls.focus:
        return cls.focus
    named = [s.skill for s in school.skills]
    return tuple(dict.fromkeys(named + [r.skill for r in school.mastery]))


def class_need(school: School, cls: SchoolClass, latest: dict[tuple[str, str], MasteryResult]) -> ClassNeed:
    scales = {s.skill: s for s in school.skills}
    focus = focus_skills(school, cls)
    ids = [s.student_id for s in students_of(school, cls.class_id)]
    skill_need = {sid: {k: _scaled_need(latest[sid, k].score, scales.get(k)) for k in focus if (sid, k) in latest}
                  for sid in ids}
    known = {sid: statistics.fmean(v.values()) for sid, v in skill_need.items() if v}
    fill = statistics.median(known.values()) if known else 0.5
    need = {sid: known.get(sid, fill) for sid in ids}
    for sid in ids:
        skill_need[sid] = {k: skill_need[sid].get(k, need[sid]) for k in focus}
    return ClassNeed(need, skill_need, tuple(sid for sid in ids if sid not in known))


def _scaled_need(score: float, skill: Skill | None) -> float:
    low, high = (skill.min, skill.max) if skill else (0.0, 100.0)
    return 1.0 - min(1.0, max(0.0, (score - low) / (high - low)))
