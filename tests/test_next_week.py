"""Next week: `--previous` keeps last week's plan, `--previous LAST --regroup` follows the new mastery with the
fewest students moved; both drop students who left and place new ones, and say so."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from pathlib import Path

import openpyxl
import pytest

from resources.demo.build import grade3_math
from rotation.domain.school import School
from rotation.io.planning_workbook import write_planning_workbook
from rotation.planning.instance import build_instance
from rotation.planning.need import class_need, latest_results
from solver.instance import REGROUP_TOLERANCE
from tests.test_cli import DEMO, GRADE3, cost_lines, plan, reversed_mastery, rows, run

Groups = dict[str, int]  # student -> group


@pytest.fixture(scope="module")
def last_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("last-week") / "plan.xlsx"
    from rotation.cli import main
    assert main(["plan", str(GRADE3), "--out", str(out), "--seed", "1"]) == 0
    return out


def top_student(school: School) -> str:
    """The student needing least support."""
    need = class_need(school, school.classes[0], latest_results(school)).need
    return min(need, key=lambda s: (need[s], s))


def collapsed(school: School, student: str) -> School:
    """The student's new results are all at the bottom of each skill's scale."""
    low = {k.skill: k.min for k in school.skills}
    return dataclasses.replace(school, mastery=tuple(
        dataclasses.replace(m, score=low[m.skill]) if m.student_id == student else m for m in school.mastery))


def groups(path: Path) -> Groups:
    return {str(r["student_id"]): int(r["group"]) for r in rows(path, "Groups")}


def names(path: Path) -> dict[int, str]:
    return {int(r["group"]): str(r["group_name"]) for r in rows(path, "Groups")}


def moved(before: Groups, after: Groups) -> set[str]:
    return {s for s, g in after.items() if s in before and before[s] != g}


def fewest_moves(before: Groups, after: Groups) -> int:
    """Moves from `before` to `after` under the best renumbering of `after`'s groups (the same grouping)."""
    numbers = sorted(set(after.values()))
    return min(len(moved(before, {s: dict(zip(numbers, perm, strict=True))[g] for s, g in after.items()}))
               for perm in itertools.permutations(numbers))


def checks(path: Path, kind: str) -> list[dict[str, object]]:
    return [r for r in rows(path, "Checks") if r["kind"] == kind]


def mean_need(path: Path, group: int) -> float:
    needs = [float(r["need"]) for r in rows(path, "Groups") if r["group"] == group]
    return sum(needs) / len(needs)


def test_regroup_follows_the_new_mastery_with_the_fewest_moves(
        last_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    school = grade3_math()
    top = top_student(school)
    workbook = tmp_path / "new-mastery.xlsx"
    write_planning_workbook(collapsed(school, top), workbook)
    before = groups(last_week)
    assert mean_need(last_week, before[top]) == min(mean_need(last_week, g) for g in set(before.values()))

    # --previous keeps last week's groups: the right answer after a hand edit, not for next week.
    kept = tmp_path / "kept.xlsx"
    plan(capsys, workbook, kept, "--previous", last_week, "--seed", "1")
    assert groups(kept) == before

    regrouped, fresh = tmp_path / "regrouped.xlsx", tmp_path / "fresh.xlsx"
    plan(capsys, workbook, fresh, "--seed", "1")
    code, stdout, stderr = run(capsys, "plan", workbook, "--out", regrouped, "--previous", last_week, "--regroup",
                               "--seed", "1")
    assert code == 0, stderr
    after = groups(regrouped)
    # The top student, now needing most support, joins the group needing most support.
    assert mean_need(regrouped, after[top]) == max(mean_need(regrouped, g) for g in set(after.values()))
    # As good as a fresh plan's grouping, within the tolerance, as the checker costs both ...
    costs = {}
    for path in (regrouped, fresh):
        code, out, _ = run(capsys, "check", workbook, path)
        assert code == 0, out
        costs[path] = cost_lines(out).get("need_spread", 0)
    assert costs[regrouped] <= costs[fresh] * (1 + REGROUP_TOLERANCE)
    # ... and no more moves than the fresh grouping would make however its groups were numbered.
    assert top in moved(before, after)
    assert len(moved(before, after)) <= fewest_moves(before, groups(fresh))
    # Numbers and names follow their students.
    assert names(regrouped) == names(last_week)
    # Checks and the summary list who moved, from which group to which, with need before and after.
    listed = {str(r["who"]): str(r["detail"]) for r in checks(regrouped, "moved")}
    assert set(listed) == moved(before, after)
    need_now = round(100 * max(float(r["need"]) for r in rows(regrouped, "Groups") if r["student_id"] == top))
    need_then = round(100 * next(float(r["need"]) for r in rows(last_week, "Groups") if r["student_id"] == top))
    assert f"from group {before[top]} ({names(last_week)[before[top]]}) to group {after[top]}" in listed[top]
    assert f"need {need_then}% then, {need_now}% now" in listed[top]
    assert listed[top] in stdout and f"{len(listed)} moved" in stdout
    # Each move is one line with what it cost, not a second `keep_group` line besides.
    assert all(int(r["cost"]) > 0 for r in checks(regrouped, "moved"))
    assert not [r for r in rows(regrouped, "Checks") if r["kind"] != "moved" and r["rule"] == "keep_group"]


def test_regroup_keeps_groups_as_good_as_any_with_their_numbers_and_names(
        last_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Mastery mirrored: each group's spread is unchanged, so nobody need move; group numbers and names stay with
    their students although the group needing most support is now the last (a fresh plan would renumber all)."""
    previous = tmp_path / "renamed.xlsx"
    shutil.copyfile(last_week, previous)
    wb = openpyxl.load_workbook(previous)
    ws = wb["Groups"]
    column = [c.value for c in ws[1]].index("group_name") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = f"Team {ws.cell(row, column - 1).value}"  # the teacher's own names
    wb.save(previous)
    workbook, out, fresh = tmp_path / "mirrored.xlsx", tmp_path / "plan.xlsx", tmp_path / "fresh.xlsx"
    write_planning_workbook(reversed_mastery(grade3_math()), workbook)
    code, stdout, stderr = run(capsys, "plan", workbook, "--out", out, "--previous", previous, "--regroup")
    assert code == 0, stderr
    assert groups(out) == groups(last_week)
    assert "no student moved, left or joined" in stdout
    assert names(out) == {g: f"Team {g}" for g in names(last_week)}
    plan(capsys, workbook, fresh)
    assert groups(fresh) != groups(last_week)
    assert mean_need(out, 1) < mean_need(out, max(names(out)))


@pytest.mark.parametrize("mode", [(), ("--regroup",)], ids=["previous", "regroup"])
def test_students_who_left_are_dropped_and_new_ones_placed(
        mode: tuple[str, ...], last_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    school = grade3_math()
    leaver, model = school.students[0], school.students[1]
    newcomer = dataclasses.replace(model, student_id="S99", first_name="Nova")
    this_week = dataclasses.replace(
        school, students=(*school.students[1:], newcomer),
        mastery=tuple(m for m in school.mastery if m.student_id != leaver.student_id)
        + tuple(dataclasses.replace(m, student_id="S99") for m in school.mastery if m.student_id == model.student_id))
    workbook = tmp_path / "this-week.xlsx"
    write_planning_workbook(this_week, workbook)
    out = tmp_path / "plan.xlsx"
    code, stdout, stderr = run(capsys, "plan", workbook, "--out", out, "--previous", last_week, *mode)
    assert code == 0, stderr
    assert "stale" not in stderr  # the leaver's Schedule rows went with them
    now = groups(out)
    assert leaver.student_id not in now and "S99" in now
    assert [r["who"] for r in checks(out, "left")] == [leaver.student_id]
    assert [r["who"] for r in checks(out, "new student")] == ["S99"]
    assert "1 new student, 1 left" in stdout and "Nova" in stdout
    if not mode:  # keeping last week: nobody else moves
        before = groups(last_week)
        assert not moved(before, now)
    code, report, _ = run(capsys, "check", workbook, out)
    assert code == 0, report


def test_a_previous_plan_of_another_school_is_one_line(
        last_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "kindergarten-plan.xlsx"
    plan(capsys, DEMO / "kindergarten-centres.xlsx", other, "--seed", "1")
    out = tmp_path / "plan.xlsx"
    for mode in ((), ("--regroup",)):
        code, _, stderr = run(capsys, "plan", GRADE3, "--out", out, "--previous", other, *mode)
        assert code == 2
        assert stderr.strip().splitlines() == [
            "kindergarten-plan.xlsx: shares no student with the classes of grade3-math.xlsx: "
            "is it a plan of another class or school?"]
        assert not out.exists()


def test_regroup_needs_a_previous_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "plan", GRADE3, "--out", tmp_path / "plan.xlsx", "--regroup")
    assert exit_.value.code == 2
    assert "--regroup needs --previous" in capsys.readouterr().err


def test_regroup_plans_the_rotation_afresh(last_week: Path) -> None:
    """Last week's visits were made for last week's groups: regrouping does not keep them."""
    from rotation.io.plan_workbook import read_previous_plan
    from rotation.io.planning_workbook import read_planning_workbook

    school = read_planning_workbook(GRADE3)
    last = read_previous_plan(last_week, school)
    assert last.left == () and last.stale_schedule == ""
    previous = last.plan
    keeping = build_instance(school, previous).instance.previous
    regrouping = build_instance(school, previous, regroup=True).instance.previous
    assert keeping is not None and regrouping is not None
    assert keeping.visits and not regrouping.visits
    assert regrouping.groups == keeping.groups and regrouping.regroup
