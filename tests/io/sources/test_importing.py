"""The import as the wizard builds it, without Qt: each source looked at once (its kind with its version and what it
holds, a planning workbook refused, a first guess at a mapping on the sheet with the data), then merged into a
school for a preview, or every problem of every source at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.domain.school import School
from rotation.io.sources import importing, reading
from rotation.io.sources.importing import look_at, named, preview
from tests.io.sources import mapped_samples, roster_samples

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo" / "grade3-math.xlsx"


def test_a_roster_is_read_when_added_and_named_with_its_version(tmp_path: Path) -> None:
    source = look_at(roster_samples.write_oneroster_12(tmp_path / "roster", students=3, gradebook=False))
    assert source.kind == "OneRoster 1.2" and not source.needs_mapping
    assert source.found is not None and len(source.found.students) == 3


def test_a_source_of_a_known_kind_is_read_from_disk_once_when_added(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A district's roster is unzipped and decoded once: the kind's reader takes the tables already read."""
    reads: list[Path] = []

    def counted(path: Path, problems: object) -> object:
        reads.append(path)
        return real(path, problems)

    real = importing.read_source
    monkeypatch.setattr(importing, "read_source", counted)
    monkeypatch.setattr(reading, "read_source", counted)
    source = look_at(roster_samples.write_oneroster_12(tmp_path / "roster", students=3, gradebook=False))
    assert source.found is not None and len(source.found.students) == 3
    assert reads == [tmp_path / "roster"]


def test_a_planning_workbook_is_refused_in_the_readers_words_not_offered_a_mapping() -> None:
    source = look_at(DEMO)
    assert not source.needs_mapping and "is a planning workbook" in source.problems[0].message


def test_a_gradebooks_first_guess_reads_its_sheet_of_scores_not_its_cover_sheet(tmp_path: Path) -> None:
    source = look_at(mapped_samples.write_gradebook(tmp_path))
    assert source.needs_mapping and source.mapping is not None
    assert source.mapping.sheet == "Q1" and source.mapping.skills == ("3.NF.A.1", "3.NF.A.3", "3.MD.A.1")
    imported = preview([source], School()).imported
    assert imported is not None and imported.count("added", "student") == 3


def test_every_sources_problems_are_told_at_once_and_nothing_is_imported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    missing = tmp_path / "missing.csv"
    seen = preview([look_at(empty), look_at(missing)], School())
    assert seen.imported is None and [p.file for p in seen.problems] == ["empty.csv", "missing.csv"]
    assert preview([], School()).imported is None


def test_the_sources_are_named_for_the_undo_history(tmp_path: Path) -> None:
    sources = [look_at(tmp_path / name) for name in ("a.csv", "b.csv", "c.csv", "d.csv")]
    assert named(sources[:2]) == "a.csv, b.csv"
    assert named(sources) == "a.csv, b.csv and 2 more"
