"""Common Core codes as tools write them are one standard each: long and short, any case, high school and ELA,
with and without cluster letters and sub-standards; and every standard of the published list has a key of its
own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rotation.io.sources.standards import skill_name, standard_key, unified

# The published list, beside the repository in a working copy (../shared/data); a fresh clone has none.
CCSSM = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ccssm"

SPELLINGS = [
    ("3.NF.1", ["CCSS.Math.Content.3.NF.A.1", "CCSS.MATH.CONTENT.3.NF.A.1", "ccss.math.content.3.nf.a.1",
                "3.NF.A.1", "3.nf.a.1", "3.NF.1", " 3.NF.1 ", "CCSS . Math . Content . 3.NF.A.1"]),
    ("K.CC.1", ["K.CC.A.1", "k.cc.1", "CCSS.Math.Content.K.CC.A.1"]),
    ("3.NF.3.a", ["CCSS.Math.Content.3.NF.A.3.a", "3.NF.A.3a", "3.NF.3.a", "3.NF.3a", "3.nf.a.3.A"]),
    ("HSA.SSE.1", ["CCSS.Math.Content.HSA.SSE.A.1", "CCSS.MATH.CONTENT.HSA.SSE.A.1", "HSA-SSE.A.1", "A-SSE.1",
                   "HSA.SSE.1", "a-sse.1", "A.SSE.A.1", "hsa.sse.a.1"]),
    ("HSF.IF.7.b", ["CCSS.Math.Content.HSF.IF.C.7.b", "HSF.IF.C.7b", "F-IF.7b", "F-IF.7.b"]),
    ("RL.3.1", ["CCSS.ELA-Literacy.RL.3.1", "ccss.ela-literacy.rl.3.1", "RL.3.1", "rl.3.1"]),
    ("RF.K.1.a", ["CCSS.ELA-Literacy.RF.K.1.a", "RF.K.1a", "rf.k.1.a"]),
    ("RH.6-8.2", ["CCSS.ELA-Literacy.RH.6-8.2", "RH.6-8.2"]),
    ("MP1", ["CCSS.Math.Practice.MP1", "MP.1", "mp1", "MP1"]),
]


@pytest.mark.parametrize(("key", "written"), SPELLINGS, ids=[k for k, _ in SPELLINGS])
def test_every_way_of_writing_a_standard_gives_one_key(key: str, written: list[str]) -> None:
    assert {w: standard_key(w) for w in written} == dict.fromkeys(written, key)


def test_different_standards_have_different_keys() -> None:
    codes = ["3.NF.A.1", "3.NF.A.3", "3.NF.A.3.a", "3.NF.A.3.b", "4.NF.A.1", "3.OA.A.1", "8.F.A.1", "HSF.IF.A.1",
             "HSF.BF.A.1", "HSA.SSE.A.1", "HSN.RN.A.1", "RL.3.1", "RI.3.1", "RL.4.1", "MP1", "MP2"]
    assert len({standard_key(c) for c in codes}) == len(codes)


@pytest.mark.parametrize("name", ["Fractions on a number line", "3.NF", "3NF1", "", "NF.3.1", "9.NF.A.1",
                                  "CCSS.Math.Content.", "Unit 3 quiz", "3.NF.A.123"])
def test_a_skill_that_is_no_standard_has_no_key_and_keeps_its_name(name: str) -> None:
    assert standard_key(name) is None
    assert skill_name(name) == name.strip()


@pytest.mark.parametrize(("written", "name"), [
    ("CCSS.Math.Content.3.NF.A.1", "3.NF.A.1"),
    ("3.nf.1", "3.NF.1"),  # the short form stays short: only another file's spelling says its cluster
    ("CCSS.Math.Content.3.NF.A.3.a", "3.NF.A.3.a"),
    ("3.NF.3a", "3.NF.3.a"),
    ("A-SSE.1", "HSA.SSE.1"),
    ("CCSS.Math.Content.HSA.SSE.A.1", "HSA.SSE.A.1"),
    ("CCSS.ELA-Literacy.RL.3.1", "RL.3.1"),
    ("CCSS.Math.Practice.MP1", "MP1"),
    ("  Fractions ", "Fractions"),
])
def test_a_skills_name_is_the_short_code(written: str, name: str) -> None:
    assert skill_name(written) == name


def test_unified_names_a_standard_with_its_cluster_when_any_spelling_has_it() -> None:
    names = ["3.NF.1", "CCSS.Math.Content.3.NF.A.1", "3.nf.2", "Fractions", "A-SSE.1", "hsa.sse.a.1"]
    assert unified(names) == {"3.NF.1": "3.NF.A.1", "CCSS.Math.Content.3.NF.A.1": "3.NF.A.1", "3.nf.2": "3.NF.2",
                              "Fractions": "Fractions", "A-SSE.1": "HSA.SSE.A.1", "hsa.sse.a.1": "HSA.SSE.A.1"}


def test_unified_whichever_spelling_comes_first() -> None:
    assert unified(["3.NF.A.1", "3.NF.1"]) == unified(["3.NF.1", "3.NF.A.1"]) == dict.fromkeys(
        ["3.NF.A.1", "3.NF.1"], "3.NF.A.1")


# ---- the published list of mathematics standards ----

def published() -> list[str]:
    """Each standard of the list with its cluster (and sub-standard), e.g. 3.NF.A.3.a and HSA.SSE.A.1."""
    if not CCSSM.is_dir():
        pytest.skip(f"the list of standards is not beside this copy ({CCSSM})")
    codes = []
    for name in ("ccssm-k8.csv", "ccssm-hs.csv"):
        with (CCSSM / name).open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                grade = "HS" + row["category_code"] if row["grade_level_code"] == "HS" else row["grade_level_code"]
                sub = f".{row['substandard_counter']}" if row["substandard_counter"] else ""
                codes.append(f"{grade}.{row['domain_code']}.{row['cluster_code']}.{row['standard_counter']}{sub}")
    return codes


def short(code: str) -> str:
    """A code as the short form writes it, without its cluster: 3.NF.A.3.a -> 3.NF.3a."""
    head, domain, _cluster, number, *sub = code.split(".")
    return f"{head}.{domain}.{number}{''.join(sub)}"


def test_the_published_list_is_read() -> None:
    codes = published()
    assert len(codes) > 400 and "3.NF.A.3.a" in codes and "HSA.SSE.A.1" in codes


def test_every_published_standard_gives_one_key_however_written() -> None:
    differ = {}
    for code in published():
        spellings = [code, f"CCSS.Math.Content.{code}", f"CCSS.Math.Content.{code}".upper(), code.lower(), short(code)]
        keys = {standard_key(s) for s in spellings}
        if len(keys) != 1 or None in keys or skill_name(f"CCSS.Math.Content.{code}") != code:
            differ[code] = keys
    assert differ == {}


def test_no_two_published_standards_share_a_key() -> None:
    codes = published()
    by_key: dict[str | None, list[str]] = {}
    for code in codes:
        by_key.setdefault(standard_key(code), []).append(code)
    assert {k: v for k, v in by_key.items() if len(v) > 1} == {}
