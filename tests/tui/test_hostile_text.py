"""Data is shown literally on every screen: markup in a name is text, not style (an office named
`KH[/foo]TC` once made every task form open blank), escape sequences and bidi controls are
shown as visible symbols and never reach the terminal, and nothing crashes on a 10,000-character
title."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from planner.domain.text import printable
from planner.services.context import Context
from planner.services.evidence import EvidenceInput, add_evidence, review
from planner.tui.app import build_app
from planner.tui.screens.criteria import CriteriaScreen
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.evidence_dialog import EvidenceDialog
from planner.tui.screens.help import HelpScreen
from planner.tui.screens.indicator_dialogs import ConfirmDialog, ReadingDialog
from planner.tui.screens.indicators import IndicatorsScreen
from planner.tui.screens.offices import OfficesScreen
from planner.tui.screens.reason_dialog import RejectDialog
from planner.tui.screens.report_preview import ReportPreviewScreen
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.widgets.nav_table import NavTable
from tests.hostile.corpus import NAMES
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle

#: What a terminal must never receive from data: escape, bell, C1 CSI, bidi overrides.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c")


def plant(ctx: Context, make_context: Callable[..., Context], value: str) -> int:
    """`value` in every kind of text a screen shows (as data stored before input was checked,
    or imported, would be); returns the id of a piece of evidence waiting for review."""
    member = make_context(today=AS_OF, actor="vp")
    waiting = add_evidence(member, "T03", EvidenceInput(doc_number="10/QĐ-SGDĐT", title="x"))
    rejected = add_evidence(member, "T03", EvidenceInput(doc_number="11/QĐ-SGDĐT"))
    review(ctx, rejected.id or 0, "rejected", reason="x")
    path = ctx.db.path
    assert path is not None
    conn = sqlite3.connect(path)
    with conn:
        updates = [
            ("UPDATE plan SET title = :v, agency = :v", {}),
            ("UPDATE office SET name = :v, head_name = :v, head_title = :v WHERE code IN ('VP', 'TCCB')", {}),
            ("UPDATE task SET title = :v, description = :v, product = :v WHERE code IN ('T03', 'T02')", {}),
            ("UPDATE criterion SET title = :v WHERE code IN ('1', '1.1', '1.1.3', '5.5', '3.3.1')", {}),
            ("UPDATE indicator SET name = :v WHERE code = 'ontime_rate'", {}),
            ("UPDATE reading SET source = :v", {}),
            ("UPDATE evidence SET doc_number = :v, issuer = :v, title = :v, reason = :v, "
             "submitted_by = :v WHERE id IN (:a, :b)", {"a": waiting.id, "b": rejected.id}),
            ("UPDATE change_log SET actor = :v", {}),
        ]
        for sql, extra in updates:
            conn.execute(sql, {"v": value, **extra})
    conn.close()
    return waiting.id or 0


def shown(app: Any) -> str:
    text = screen_text(app)
    for raw in RAW:
        assert raw not in text, f"{raw!r} reached the screen"
    return text


def line_of(app: Any, selector: str) -> str:
    """The screen's text on the lines of a widget."""
    region = app.screen.query_one(selector).region
    return "\n".join(screen_text(app).splitlines()[region.y:region.bottom])


def marker(value: str) -> str:
    """The start of `value` as a screen shows it (printable, first line, 14 cells)."""
    return printable(value).split("␊")[0][:14]


@pytest.mark.parametrize(("name", "value"), NAMES, ids=[n for n, _v in NAMES])
@run_async
async def test_every_screen_shows_hostile_text_literally(ctx: Context, make_context: Callable[..., Context],
                                                         name: str, value: str) -> None:
    evidence_id = plant(ctx, make_context, value)
    expected = marker(value)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert expected in shown(app)  # the plan's title in the header, the heads of office

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CriteriaScreen)
        shown(app)

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert expected in shown(app)

        app.push_screen(TaskDetailScreen("T03"))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        assert detail.query_one("#edit-title", Input).value == printable(value)  # the form opened, whole
        shown(app)
        assert expected in line_of(app, "#detail-title")  # as written, not as markup
        for tab in ("tab-history", "tab-details", "tab-evidence"):
            detail.query_one("TabbedContent").active = tab  # type: ignore[attr-defined]
            await settle(pilot)
            shown(app)
        table = detail.query_one("#evidence-table", NavTable)
        table.move_to_key(str(evidence_id))
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, RejectDialog)
        shown(app)
        await pilot.press("escape")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        # Typed (or pasted, with its controls made visible): refused, quoted in the message.
        dialog.query_one("#ev-url", Input).value = printable(value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceDialog)
        shown(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "escape")
        await settle(pilot)

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OfficesScreen)
        shown(app)

        await pilot.press("i")
        await settle(pilot)
        indicators = app.screen
        assert isinstance(indicators, IndicatorsScreen)
        indicators.query_one("#indicator-table", NavTable).move_to_key("ontime_rate")
        await settle(pilot)
        shown(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReadingDialog)
        shown(app)
        await pilot.press("escape")
        await settle(pilot)
        judged = indicators.query_one("#judged-table", NavTable)
        judged.focus()
        judged.move_to_key("5.5")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        shown(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReportPreviewScreen)
        shown(app)

        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"t03")
        await pilot.pause(0.5)
        shown(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.return_code is None  # still running: nothing crashed


@run_async
async def test_markup_in_an_office_name_is_text_in_the_task_form(ctx: Context, make_context: Callable[..., Context]) -> None:
    """The report of issue 19: `KH[/foo]TC` as an office's name left every task form blank;
    `[red]…[/red]` showed red. Both are shown as typed."""
    path = ctx.db.path
    assert path is not None
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE office SET name = 'KH[/foo]TC' WHERE code = 'KHTC'")
        conn.execute("UPDATE office SET name = '[red]Đỏ[/red]' WHERE code = 'VP'")
    conn.close()
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(TaskDetailScreen("T03"))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        assert detail.query_one("#edit-title", Input).value.startswith("Quyết định phân công")
        text = shown(app)
        assert "KHTC  KH[/foo]TC" in text and "VP [red]Đỏ[/red]" in text
