"""The screens a coordinator uses after importing a new year: linking tasks to criteria one
key at a time, marking a criterion not applicable, changing an inferred method."""

from __future__ import annotations

from sqlalchemy import text

from planner.services.context import Context
from planner.services.links import suggest_links
from planner.services.scores import plan_score
from planner.tui.app import build_app
from planner.tui.screens.criteria import CriteriaScreen
from planner.tui.screens.link_review import LinkReviewScreen
from planner.tui.widgets.nav_tree import NavTree
from planner.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle


def _unlink(ctx: Context, codes: tuple[str, ...]) -> None:
    """The sample plan's links of these tasks removed, as if imported without criteria."""
    with ctx.db.engine.begin() as conn:
        for code in codes:
            conn.execute(text("DELETE FROM task_criterion WHERE task_id = "
                              "(SELECT id FROM task WHERE code = :code)"), {"code": code})


@run_async
async def test_link_review_accepts_skips_and_picks_by_key(ctx: Context) -> None:
    _unlink(ctx, ("T04", "T05", "T11"))
    first = {t.code: t.suggestions for t in suggest_links(ctx)}
    assert list(first) == ["T04", "T05", "T11"]
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinkReviewScreen)
        shown = screen_text(app)
        assert "3 tasks without a link" in shown
        assert first["T04"][0].criterion in shown  # the first suggestion beside the task
        # a: the first suggestion of T04; the cursor moves on to T05.
        await pilot.press("a")
        await settle(pilot)
        assert [t.code for t in screen.tasks] == ["T05", "T11"]
        current = screen.current()
        assert current is not None and current.code == "T05"
        # s: skip T05; 2: the second suggestion of T11.
        await pilot.press("s")
        await pilot.press("2")
        await settle(pilot)
        assert [t.code for t in screen.tasks] == ["T05"]
        # p: pick criteria by code with a weight.
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#pick-criteria").value = "3.3.3 7.3"  # type: ignore[attr-defined]
        dialog.query_one("#pick-weight").value = "0,5"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Every task is linked to a criterion." in screen_text(app)
    links = {link.task_code: [] for link in ()}  # type: ignore[var-annotated]
    facts = plan_score(ctx).facts
    for link in facts.links:
        links.setdefault(link.task_code, []).append((link.criterion_code, link.weight))
    assert links["T04"] == [(first["T04"][0].criterion, 1.0)]
    assert links["T11"] == [(first["T11"][1].criterion, 1.0)]
    assert sorted(links["T05"]) == [("3.3.3", 0.5), ("7.3", 0.5)]


@run_async
async def test_criterion_marked_not_applicable_shows_the_comparable_score(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        raw = app.screen.query_one(ScorePanel).secured
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CriteriaScreen)
        tree = screen.query_one(NavTree)
        await pilot.press("plus")  # expand all
        await pilot.pause()
        tree.move_cursor(screen._tree_nodes["3.3.5"])
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        label = screen._tree_nodes["3.3.5"].label
        assert "n/a" in getattr(label, "plain", str(label))
        assert "0.00   0.00   0.00" in getattr(label, "plain", str(label))  # 0 of 0
        await pilot.press("d")
        await settle(pilot)
        panel = app.screen.query_one(ScorePanel)
        shown = screen_text(app)
        assert "comparable" in shown and "12.60 / 56.00" in shown and "n/a: 3.3.5" in shown
        assert panel.secured is not None and raw is not None
    score = plan_score(ctx)
    assert score.score.appraised.max_points == 55
    assert [n.code for n in score.facts.not_applicable] == ["3.3.5"]


@run_async
async def test_an_inferred_method_is_changed_on_the_criteria_screen(ctx: Context) -> None:
    from textual.widgets import Select

    from planner.tui.screens.criterion_dialogs import MethodDialog

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CriteriaScreen)
        await pilot.press("plus")
        await pilot.pause()
        screen.query_one(NavTree).move_cursor(screen._tree_nodes["1.4"])
        await pilot.pause()
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MethodDialog)
        dialog.query_one("#method-choice", Select).value = "condition"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CriteriaScreen)
    node = plan_score(ctx).score.find("1.4")
    assert node is not None and node.method == "condition"
    rule = next(r for r in plan_score(ctx).facts.criteria[0].children if r.code == "1.4")
    assert [o.key for o in rule.outcomes] == ["yes", "no"]
