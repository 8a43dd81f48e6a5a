"""Four eyes in the terminal UI: the header says who you act as, and reviewing your own
evidence is refused with the names of the coordinators who may review it."""

from __future__ import annotations

from collections.abc import Callable

from planner.services.context import Context
from planner.services.evidence import EvidenceInput, add_evidence, list_evidence
from planner.services.tasks import set_status
from planner.services.users import save_user
from planner.tui.app import build_app
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle
from tests.tui.test_flows import open_task


@run_async
async def test_the_header_names_who_acts(ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(make_context(today=AS_OF, actor="khtc"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first_line = screen_text(app).splitlines()[0]
        assert "khtc (office member, KHTC) · as of 09/05/2022" in first_line
        await pilot.press("t")
        await settle(pilot)
        assert "khtc (office member, KHTC)" in screen_text(app).splitlines()[0]


@run_async
async def test_own_evidence_names_who_may_review_it(ctx: Context) -> None:
    set_status(ctx, "T03", "done")
    add_evidence(ctx, "T03", EvidenceInput(doc_number="152/QĐ-SGDĐT"))  # submitted by me
    save_user(ctx, "lan", role="coordinator", name="Nguyễn Thị Lan", create=True)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "coordinator (coordinator)" in screen_text(app).splitlines()[0]
        await open_task(pilot, "T03")
        await pilot.press("v")
        await settle(pilot)
        [message] = [n.message for n in app._notifications if n.severity == "error"]
        assert "submitted it (coordinator)" in message
        assert "lan (Nguyễn Thị Lan)" in message
        assert [e.state for e in list_evidence(ctx, target="T03")] == ["submitted"]
