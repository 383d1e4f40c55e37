"""Print and PDF: the Rotation chart one class to a landscape page, members beside their group, names never
scores; group cards likewise."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rotation.io.rotation_chart import members_text
from rotation.ui.schools import DEMO, import_workbook
from tests.ui.conftest import plan


def pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points, read from the PDF's own page boxes."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    return [(float(w), float(h)) for w, h in boxes]


def text_of(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) reads the PDF's words")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_rotation_chart_pdf_has_one_landscape_page_per_class_with_groups_members_and_stations(
        qtbot, home, settings, tmp_path: Path):
    from rotation.ui.window import MainWindow

    opened = import_workbook(DEMO.with_name("grade3-team-shared-staff.xlsx"), home / "team.db")
    window = MainWindow(opened, settings)
    window.seed = 1
    qtbot.addWidget(window)
    plan(qtbot, window, window.plan_action)
    chart = tmp_path / "chart.pdf"
    assert window.save_pdf("chart", chart)
    sizes = pages(chart)
    assert len(sizes) == len(opened.school.classes) == 4
    assert all(w > h for w, h in sizes)  # landscape
    words = " ".join(text_of(chart).split())
    school, planned = window.document.school, window.document.plan
    students = {s.student_id: s for s in school.students}
    for g in planned.groups:
        assert g.name in words
        first = students[g.members[0]]
        assert members_text([first]) in words
    assert {v.station for v in planned.visits} <= set(re.findall("|".join(map(re.escape, {
        v.station for v in planned.visits})), words))
    assert "%" not in words  # names, never scores or need
    window.close()
    opened.engine.dispose()


def test_group_cards_pdf_names_every_member_of_every_group(qtbot, window, tmp_path: Path):
    plan(qtbot, window, window.plan_action)
    cards = tmp_path / "cards.pdf"
    assert window.save_pdf("cards", cards)
    assert len(pages(cards)) == 1
    words = text_of(cards)
    students = {s.student_id: s for s in window.document.school.students}
    for g in window.document.plan.groups:
        assert g.name in words
        assert all(members_text([students[m]]) in words for m in g.members)
