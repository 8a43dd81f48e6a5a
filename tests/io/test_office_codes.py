"""Codes invented for offices created by `import plan --create-offices`."""

from __future__ import annotations

from planner.io.plan_import import _derive_code


def test_a_code_like_name_is_kept_as_written() -> None:
    taken: set[str] = set()
    assert _derive_code("KTKĐ", taken) == "KTKĐ"
    assert _derive_code("GDTrH", taken) == "GDTrH"


def test_a_name_becomes_its_initials_and_stays_unique() -> None:
    taken = {"pc"}
    assert _derive_code("Phòng Pháp chế", taken) == "PC2"
    assert _derive_code("Phòng Công nghệ thông tin", taken) == "CNTT"
