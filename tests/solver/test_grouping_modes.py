"""Mixed and by-skill grouping do what teachers ask of them, checked against the plan itself."""

from __future__ import annotations

import statistics
from dataclasses import replace

from solver.instance import Adult, Instance, Student, StudentRule
from tests.solver.factory import grade3


def _mixed(flags: dict[int, str]) -> Instance:
    cls = grade3(pool=None)
    students = tuple(replace(s, flags=frozenset({flags[i]}) if i in flags else frozenset())
                     for i, s in enumerate(cls.students))
    return Instance((replace(cls, students=students, grouping="mixed"),), (Adult("T1"),))


def test_mixed_groups_spread_flags_and_need_evenly(planned):
    inst = _mixed({i: "IEP" for i in range(8)})  # 8 IEP students, 4 groups: 2 in each
    groups = planned(inst).plan.classes["3A"].groups
    cls = inst.classes[0]
    iep = [sum(1 for s in cls.students if "IEP" in s.flags and groups[s.id] == g) for g in range(1, 5)]
    assert iep == [2, 2, 2, 2]
    means = [statistics.fmean(s.need for s in cls.students if groups[s.id] == g) for g in range(1, 5)]
    class_mean = statistics.fmean(s.need for s in cls.students)
    # Balanced means: every group within 5% of the need scale of the class mean.
    assert max(abs(m - class_mean) for m in means) < 50


def test_mixed_groups_are_more_alike_than_similar_groups(planned):
    mixed = _mixed({})
    similar = replace(mixed, classes=(replace(mixed.classes[0], grouping="similar"),))

    def spread_of_means(inst: Instance) -> float:
        groups = planned(inst).plan.classes["3A"].groups
        means = [statistics.fmean(s.need for s in inst.classes[0].students if groups[s.id] == g) for g in range(1, 5)]
        return max(means) - min(means)

    assert spread_of_means(mixed) < spread_of_means(similar) / 10


def test_by_skill_puts_each_student_where_their_need_is_greatest(planned):
    # Eight students each clearly weakest in one of four focus skills: group g works on skill g.
    skills = ("fractions", "place value", "measurement", "geometry")
    students = tuple(
        Student(f"3A-{i + 1}", 500, skill_need={k: (900 if j == i % 4 else 100) for j, k in enumerate(skills)})
        for i in range(8))
    cls = replace(grade3(n=8, pool=None), students=students, grouping="by skill", focus=skills, min_size=2, max_size=2)
    groups = planned(Instance((cls,), (Adult("T1"),))).plan.classes["3A"].groups
    for i in range(8):
        assert groups[f"3A-{i + 1}"] == i % 4 + 1


def test_by_skill_group_numbers_stay_with_their_focus_skill_whatever_the_groups_need(planned):
    # Group k works on focus skill k: numbering groups by need must not move them off their skill.
    skills = ("add", "sub", "mul", "div")
    students = tuple(
        Student(f"3A-{i + 1}", 100 + 250 * (i % 4), skill_need={k: (900 if j == i % 4 else 100)
                                                              for j, k in enumerate(skills)})
        for i in range(8))
    cls = replace(grade3(n=8, pool=None), students=students, grouping="by skill", focus=skills, min_size=2, max_size=2)
    groups = planned(Instance((cls,), (Adult("T1"),))).plan.classes["3A"].groups
    assert all(groups[f"3A-{i + 1}"] == i % 4 + 1 for i in range(8)), groups


def test_by_skill_with_no_skill_scores_at_all_plans_on_need_alone(planned):
    # No mastery data means no focus skills: every group is as good as any, and the accounts agree on 0.
    cls = replace(grade3(n=8, pool=None), grouping="by skill", focus=(), min_size=2, max_size=2)
    result = planned(Instance((cls,), (Adult("T1"),)))
    assert result.plan is not None and not any(c.rule == "skill_match" for c in result.costs)


def test_by_skill_falls_back_to_need_for_a_skill_a_student_has_no_score_on(planned):
    skills = ("add", "sub")
    students = tuple(Student(f"3A-{i + 1}", 300 + 100 * i, skill_need={"add": 900} if i < 2 else {"sub": 900})
                     for i in range(4))
    cls = replace(grade3(n=4, pool=None), students=students, grouping="by skill", focus=skills, groups=2,
                  min_size=2, max_size=2)
    groups = planned(Instance((cls,), (Adult("T1"),))).plan.classes["3A"].groups
    assert groups["3A-1"] == groups["3A-2"] == 1 and groups["3A-3"] == groups["3A-4"] == 2


def test_mixed_groups_of_unequal_size_count_flag_balance_over_the_flagged_students_only(planned):
    students = tuple(Student(f"3A-{i + 1}", 100 * i, frozenset({"IEP"}) if i < 2 else frozenset()) for i in range(7))
    cls = replace(grade3(n=7, pool=None), students=students, grouping="mixed", groups=2, min_size=3, max_size=4,
                  rules=(StudentRule("together", "IEP pair", ("3A-1", "3A-2")),))
    result = planned(Instance((cls,), (Adult("T1"),)))
    assert [c.cost for c in result.costs if c.rule == "flag_balance"] == [2000]


def test_by_skill_charges_each_student_placed_off_their_greatest_need(planned):
    # All four need "add" most, but groups of two: the two placed on "sub" are charged, by name.
    students = tuple(Student(f"3A-{i + 1}", 500, skill_need={"add": 900 - 10 * i, "sub": 100}) for i in range(4))
    cls = replace(grade3(n=4, pool=None), students=students, grouping="by skill", focus=("add", "sub"), groups=2,
                  min_size=2, max_size=2)
    result = planned(Instance((cls,), (Adult("T1"),)))
    assert len([c for c in result.costs if c.rule == "skill_match"]) == 2


def test_one_student_without_data_has_nobody_to_be_spread_from(planned):
    inst = Instance((grade3(pool=None),), (Adult("T1"),))
    cls = inst.classes[0]
    roster = tuple(replace(s, no_data=True) if s.id == "3A-1" else s for s in cls.students)
    result = planned(replace(inst, classes=(replace(cls, students=roster),)))
    assert not any(c.rule == "no_data_spread" for c in result.costs)
