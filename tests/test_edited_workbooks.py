"""Teachers edit workbooks by hand: random edits of the demo school never crash the planner, and
every plan it writes passes the independent check."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from rotation.cli import main

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
VALUES = (0, 1, 2, 3, 7, 40, -1, 10**6, "", "yes", "no", "by need", "08:00", "23:59", "Mon-Fri", "IEP", "x")
SHEETS = ("Classes", "Stations", "Rules", "Staff", "Devices")


@pytest.mark.parametrize("seed", range(12))
def test_a_randomly_edited_demo_plans_or_is_refused_cleanly(seed: int, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(rng.choice(sorted(DEMO.glob("*.xlsx"))))
    for _ in range(rng.randint(1, 3)):
        ws = wb[rng.choice([name for name in SHEETS if name in wb.sheetnames])]
        if ws.max_row >= 2:
            ws.cell(rng.randint(2, ws.max_row), rng.randint(1, ws.max_column)).value = rng.choice(VALUES)
    source, out = tmp_path / "edited.xlsx", tmp_path / "plan.xlsx"
    wb.save(source)
    code = main(["plan", str(source), "--out", str(out), "--time-limit", "1", "--seed", "1"])
    err = capsys.readouterr().err
    assert code in (0, 2, 3, 4) and "unexpected error" not in err
    assert out.exists() == (code == 0)
    if code == 0:
        assert main(["check", str(source), str(out)]) == 0
