"""80×24, the terminal people open: the score keeps each figure on its line, the fields can be
told apart, the search box shows what is typed, the key bar fits; in English and Vietnamese.

The TUI's key descriptions are translated when its modules are imported, so the Vietnamese
walk runs in a fresh interpreter (as scripts/screenshots.py does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from planner.services.context import Context
from planner.tui.app import build_app
from tests.tui.helpers import key_bar_overflow, screen_text, settle

ROOT = Path(__file__).resolve().parents[2]
SMALL = (80, 24)


async def walk(app: Any, palette_query: str) -> dict[str, Any]:
    """Drive the app as a person at 80×24 would; return what the screens showed."""
    from textual.widgets import Input

    seen: dict[str, Any] = {"overflow": {}}
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen["dashboard"] = screen_text(app).splitlines()
        seen["overflow"]["dashboard"] = key_bar_overflow(app)
        for key in ("c", "o", "i", "r", "t"):
            await pilot.press(key)
            await settle(pilot)
            seen["overflow"][key] = key_bar_overflow(app)
        await pilot.press("slash", *"cai cach")
        await settle(pilot)
        search = app.screen.query_one("#task-search", Input)
        seen["search"] = {"value": search.value, "width": search.content_region.width}
        seen["tasks"] = screen_text(app).splitlines()
        await pilot.press("escape", "x", "slash", *"t03", "enter", "enter")
        await settle(pilot)
        seen["overflow"]["detail"] = key_bar_overflow(app)
        seen["detail"] = screen_text(app).splitlines()
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*palette_query)
        await pilot.pause(1.0)
        seen["palette"] = screen_text(app)
    return seen


CHILD = """
import asyncio, json, sys
from datetime import date

from planner.i18n import set_language

set_language("vi")  # before the TUI is imported: its key descriptions are translated then
# (planner.cli, which the TUI imports, sets the language again from PLANNER_LANG: vi too)
from planner.services.context import Context
from planner.services.session import open_database
from planner.tui.app import build_app
from tests.tui.test_small_terminal import walk

database, _pinned = open_database(sys.argv[1])
app = build_app(Context(db=database, actor="coordinator", today=date(2022, 5, 9)))
print(json.dumps(asyncio.run(walk(app, "qua han"))))
"""


def check(seen: dict[str, Any], words: dict[str, str]) -> None:
    dashboard = seen["dashboard"]
    # Each figure of the score on one line with its label.
    assert any(f"{words['secured']}" in line and words["secured_value"] in line for line in dashboard)
    assert any(words["projected"] in line and words["projected_value"] in line for line in dashboard)
    # The fields are told apart: not every "Cải cách …" title is cut after its first words.
    assert any("Cải cách thể chế " in line for line in dashboard)
    assert any("Cải cách tài chính" in line for line in dashboard)
    # The search box shows what was typed.
    assert seen["search"]["value"] == "cai cach" and seen["search"]["width"] >= len("cai cach")
    assert any("cai cach" in line for line in seen["tasks"][:6])
    # Every key of every key bar fits.
    assert all(not keys for keys in seen["overflow"].values()), seen["overflow"]
    assert "T03" in seen["detail"][2]
    assert words["overdue_command"] in seen["palette"]


def test_80x24_in_english(ctx: Context) -> None:
    import asyncio

    seen = asyncio.run(walk(build_app(ctx), "overdue"))
    check(seen, {"secured": "secured", "secured_value": "13.38 / 56.00", "projected": "projected",
                 "projected_value": "52.25", "overdue_command": "Overdue tasks"})


def test_80x24_in_vietnamese(ctx: Context) -> None:
    assert ctx.db.path is not None
    done = subprocess.run([sys.executable, "-c", CHILD, str(ctx.db.path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PLANNER_LANG": "vi"})
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    check(seen, {"secured": "đã đạt", "secured_value": "13,38 / 56,00", "projected": "dự kiến",
                 "projected_value": "52,25", "overdue_command": "Nhiệm vụ quá hạn"})


