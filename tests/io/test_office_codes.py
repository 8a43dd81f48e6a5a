"""Codes invented for offices created by `import plan --create-offices`."""

from __future__ import annotations

from planner.io.office_cells import derive_code


def test_a_code_like_name_is_kept_as_written() -> None:
    taken: set[str] = set()
    assert derive_code("KTKĐ", taken) == "KTKĐ"
    assert derive_code("GDTrH", taken) == "GDTrH"


def test_a_name_becomes_its_initials_and_stays_unique() -> None:
    taken = {"pc"}
    assert derive_code("Phòng Pháp chế", taken) == "PC2"
    assert derive_code("Phòng Công nghệ thông tin", taken) == "CNTT"
