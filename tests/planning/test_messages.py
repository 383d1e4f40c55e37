"""The sentences `rotation plan` prints when the hard rules cannot all hold: right for one rule and for several,
and each ends with its ways out in the workbook's own words."""

from __future__ import annotations

import pytest

from rotation.planning.messages import explain, fix_words
from solver.plan import CHANGES, Conflict, Fix

PARA_FIXES = (Fix("must_do_to_visits", "K1", "Partner game", value=2), Fix("more_days", adult="PARA"),
              Fix("fewer_groups", "K1", value=2))
NEEDS = ("needs S1 (Rules row 2)", "needs S8 (Rules row 3)")
APART = "apart S1, S2, S3, S4 (Rules row 2)"

SENTENCES = [
    (Conflict(("must_do Partner game",), "staffed_station_load", stations=("Partner game",), classes=("K1",),
              adults=("PARA",), need=16, have=8, fixes=PARA_FIXES),
     "class K1: the Partner game station can host 8 group visits a week; must_do Partner game asks for 16 — to fix: "
     "set visits to 2 or fewer for Partner game instead of must_do, or make PARA available on more days, "
     "or set groups to 2 or fewer for class K1"),
    (Conflict(NEEDS, "staffed_station_load", stations=("SPED",), classes=("3A",), need=7, have=1),
     "class 3A: the SPED station can host 1 group visit a week; needs S1 (Rules row 2) and needs S8 (Rules row 3) "
     "ask for 7"),
    (Conflict(("A: must_do Small group",), "adult_load", adults=("INT",), need=6, have=1),
     "INT can work at most 1 separate slot a week at these stations; A: must_do Small group asks for 6"),
    (Conflict(("A: visits 1 at Small group", "B: visits 1 at Small group"), "adult_load", adults=("INT",), need=6,
              have=4, fixes=(Fix("more_hours", adult="INT"), Fix("fewer_visits", adult="INT", value=2))),
     "INT can work at most 4 separate slots a week at these stations; A: visits 1 at Small group and "
     "B: visits 1 at Small group ask for 6 — to fix: make INT available for more hours, or ask for 2 fewer visits "
     "a week at these stations"),
    (Conflict(("device pool iPads has 4", "A: visits 3 at online"), "device_load", classes=("A",), need=12, have=10,
              fixes=(Fix("more_devices", pool="iPads", value=1), Fix("fewer_visits", pool="iPads", value=1))),
     "class A: device pool iPads has 4, too few for two groups at once, so it serves one group a slot: it can serve "
     "at most 10 separate slots a week; A: visits 3 at online asks for 12 — to fix: add 1 device to pool iPads, "
     "or ask for 1 fewer visit a week at these stations"),
    (Conflict(("device pool iPads has 4", "A: visits 3 at online", "B: visits 3 at online"), "device_load",
              classes=("A", "B"), need=24, have=10),
     "classes A and B: device pool iPads has 4, too few for two groups at once, so it serves one group a slot: it "
     "can serve at most 10 separate slots a week; A: visits 3 at online and B: visits 3 at online ask for 24"),
    (Conflict(("classes A and B meet at once",), "two_classes_at_once", students=("S1",), times=("Mon 09:00",),
              classes=("A", "B"), fixes=(Fix("start_at_least", "B", value=9 * 60 + 49),)),
     "classes A and B: S1 is in both classes, which meet at the same time (Mon 09:00) — to fix: start class B at "
     "09:49 or later"),
    (Conflict(("classes A and B meet at once",), "two_classes_at_once", students=("S1", "S2"), times=("Mon 09:00",),
              classes=("A", "B")),
     "classes A and B: S1 and S2 are in both classes, which meet at the same time (Mon 09:00)"),
    (Conflict(("5 groups",), "more_groups_than_students", classes=("3A",), need=5, have=1,
              fixes=(Fix("fewer_groups", "3A", value=1),)),
     "class 3A: 5 groups but only 1 student: every group needs at least one student — to fix: set groups to 1 or "
     "fewer for class 3A"),
    (Conflict(("2 groups of 3-4",), "group_sizes", classes=("3A",), need=10, have=8,
              fixes=(Fix("max_size_at_least", "3A", value=5), Fix("more_groups", "3A", value=3))),
     "class 3A: 10 students cannot fit 2 groups of 3-4 (room for 8) — to fix: set max_group_size to 5 or more for "
     "class 3A, or set groups to 3 or more for class 3A"),
    (Conflict(("2 groups of 3-4",), "group_sizes", classes=("3A",), need=5, have=6,
              fixes=(Fix("min_size_at_most", "3A", value=2),)),
     "class 3A: 5 students cannot fit 2 groups of 3-4 (room for 6) — to fix: set min_group_size to 2 or less for "
     "class 3A"),
    (Conflict(("station A holds 4", "2 groups"), "station_fits_groups", stations=("A",), classes=("3A",), need=12,
              have=8, fixes=(Fix("capacity_at_least", "3A", "A", value=6),)),
     "class 3A: every group visits the A station, so no group can be larger than it seats: station A holds 4 and "
     "2 groups leave room for 8 of the 12 students — to fix: set the capacity of A to 6 or more"),
    (Conflict((APART,), "apart_clique", students=("S1", "S2", "S3", "S4"), classes=("3A",), need=4, have=3,
              fixes=(Fix("more_groups", "3A", value=4), Fix("drop_rule", "3A", rule=APART))),
     "class 3A: a keep-apart rule among S1, S2, S3 and S4 needs 4 groups; the class has 3 "
     "(apart S1, S2, S3, S4 (Rules row 2)) — to fix: set groups to 4 or more for class 3A, or remove "
     "apart S1, S2, S3, S4 (Rules row 2)"),
    (Conflict(("apart S1, S2", "apart S2, S3", "apart S1, S3"), "apart_clique", students=("S1", "S2", "S3"),
              classes=("3A",), need=3, have=2),
     "class 3A: keep-apart rules among S1, S2 and S3 need 3 groups; the class has 2 (apart S1, S2; apart S2, S3; "
     "apart S1, S3)"),
    (Conflict(("apart S1, S2", "apart S2, S3", "apart S1, S3"), "apart_clique", students=("S1", "S2", "S3"),
              classes=("3A",), need=3, have=2,
              fixes=(Fix("more_groups", "3A", value=3), *(Fix("drop_rule", "3A", rule=r)
                                                          for r in ("apart S1, S2", "apart S2, S3", "apart S1, S3")))),
     "class 3A: keep-apart rules among S1, S2 and S3 need 3 groups; the class has 2 (apart S1, S2; apart S2, S3; "
     "apart S1, S3) — to fix: set groups to 3 or more for class 3A, or remove any one of these rules"),
    (Conflict(("apart S1, S2", "apart S2, S3", "together S1, S4"), "core", students=("S1", "S2", "S3", "S4"),
              classes=("3A",), fixes=(Fix("relax_rule", rule="apart S1, S2"), Fix("relax_rule", rule="apart S2, S3"),
                                      Fix("more_groups", "3A", value=3))),
     "class 3A: these rules cannot all hold: apart S1, S2; apart S2, S3; together S1, S4 (involving students S1, "
     "S2, S3 and S4) — to fix: relax or remove one of these rules: apart S1, S2; apart S2, S3, or set groups to 3 "
     "or more for class 3A"),
    (Conflict(("together S1-S5",), "together_too_big", students=("S1", "S2", "S3", "S4", "S5"), classes=("3A",),
              need=5, have=4,
              fixes=(Fix("max_size_at_least", "3A", value=5), Fix("drop_rule", "3A", rule="together S1-S5"))),
     "class 3A: together S1-S5 puts 5 students together; a group holds at most 4 students — to fix: set "
     "max_group_size to 5 or more for class 3A, or remove together S1-S5"),
    (Conflict(("must_do A", "must_do B"), "must_do_per_day", stations=("A", "B"), times=("Mon",), classes=("3A",),
              need=2, have=1, fixes=(Fix("fewer_must_do", "3A", value=1), Fix("more_rotations", "3A", value=2))),
     "class 3A: 2 must-do stations (A and B) but only 1 rotation on Mon — to fix: set must_do to no for 1 of these "
     "stations, or set rotations to 2 or more for class 3A"),
    (Conflict(("visits 4 at A",), "visits_per_week", stations=("A",), classes=("3A",), need=4, have=1,
              fixes=(Fix("fewer_visits", "3A", value=3),)),
     "class 3A: each group must make 4 visits a week (A) but the week has 1 slot — to fix: ask for 3 fewer visits "
     "a week at these stations"),
    (Conflict(("needs S1 at SPED 2",), "core", students=("S1",), stations=("SPED",), classes=("3A",),
              fixes=(Fix("relax_rule", rule="needs S1 at SPED 2"),)),
     "class 3A: this rule cannot hold: needs S1 at SPED 2 (involving student S1; station SPED) — to fix: relax or "
     "remove needs S1 at SPED 2"),
    (Conflict(("group sizes 6-7", "station SPED holds 5"), "core", students=("S1", "S2"), stations=("SPED",),
              classes=("3A",), fixes=(Fix("relax_rule", rule="group sizes 6-7"),
                                      Fix("relax_rule", rule="station SPED holds 5"))),
     "class 3A: these rules cannot all hold: group sizes 6-7; station SPED holds 5 (involving students S1 and S2; "
     "station SPED) — to fix: relax or remove any one of these rules"),
]


@pytest.mark.parametrize(("conflict", "sentence"), SENTENCES, ids=lambda v: getattr(v, "reason", ""))
def test_each_conflict_reads_as_one_sentence_with_its_ways_out(conflict: Conflict, sentence: str) -> None:
    assert explain(conflict) == sentence


def test_every_change_a_fix_can_ask_for_has_its_own_words() -> None:
    # A code without words would show the teacher a bare code; each names what it changes and the number.
    for code in CHANGES:
        words = fix_words(Fix(code, "3A", "A", "PARA", "iPads", "needs S1", 7))
        assert code not in words and ("7" in words or code in ("more_days", "more_hours", "drop_rule", "relax_rule"))
