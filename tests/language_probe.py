"""What a person sees, collected in one language, for `tests/test_language.py`.

    python -m tests.language_probe cli DATABASE OUT.json   # help of every command, main outputs
    python -m tests.language_probe tui DATABASE OUT.json   # every screen, dialog, help, palette

Run in a process of its own with PLANNER_LANG set: help texts and key descriptions are
translated when planner's modules are imported. DATABASE holds the sample plan (loaded by the
test); the probe changes it as a coordinator and a division member would.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2022, 5, 9)
COORDINATOR = os.environ.get("PROBE_PERSON", "coordinator")  # who loaded the sample
SIZE = (120, 40)

#: Commands whose output a person reads (run in this order, after the writes below).
READS = [
    ("score", "--as-of", "09/05/2022"),
    ("score", "--as-of", "09/05/2022", "--depth", "1"),
    ("explain", "1", "--as-of", "09/05/2022"),
    ("explain", "1.3", "--as-of", "09/05/2022"),
    ("explain", "3.3.1", "--as-of", "31/05/2022"),
    ("explain", "3.5", "--as-of", "30/11/2022"),
    ("explain", "8.1", "--as-of", "15/12/2022"),
    ("explain", "1.2.1", "--as-of", "09/05/2022"),
    ("tasks", "--as-of", "09/05/2022"),
    ("tasks", "--status", "quá hạn", "--as-of", "09/05/2022"),
    ("task", "show", "T30"),
    ("task", "show", "T04"),
    ("offices", "--as-of", "09/05/2022"),
    ("indicators",),
    ("evidence", "list"),
    ("evidence", "show", "3"),
    ("evidence", "show", "19"),
    ("log",),
    ("log", "--task", "T30"),
    ("users", "list"),
    ("config", "show"),
    ("report", "weekly", "--as-of", "09/05/2022"),
    ("report", "weekly", "--office", "TCCB", "--as-of", "09/05/2022"),
    ("report", "due", "--as-of", "09/05/2022"),
    ("check",),
    ("db", "current"),
    ("--version",),
]

#: The week's writes (as the coordinator unless a user is named), then mistakes.
WRITES = [
    (None, ("users", "add", "hainv", "--role", "office_member", "--office", "TCCB", "--name",
            "Nguyễn Văn Hải")),
    (None, ("users", "add", "giamdoc", "--role", "viewer")),
    ("hainv", ("task", "start", "T10", "--progress", "40", "--on", "09/05/2022")),
    ("hainv", ("task", "done", "T30", "--on", "12/05/2022", "--note", "Đã ký quyết định")),
    ("hainv", ("evidence", "add", "T30", "--doc", "123/QĐ-SGDĐT", "--date", "11/05/2022",
               "--issuer", "Sở GD&ĐT", "--on", "12/05/2022")),
    (None, ("evidence", "accept", "19", "--on", "13/05/2022")),
    (None, ("evidence", "reject", "17", "--on", "09/05/2022", "--reason", "Thiếu bản chụp")),
    (None, ("task", "edit", "T10", "--progress", "45", "--due", "30/11/2022")),
    (None, ("task", "pause", "T29", "--on", "09/05/2022")),
    (None, ("reading", "add", "ontime_rate", "247/247", "--date", "31/05/2022")),
    (None, ("criterion", "confirm", "3.5", "yes", "--on", "30/11/2022")),
    (None, ("criterion", "enter", "8.1", "16.5", "--on", "15/12/2022")),
    (None, ("office", "edit", "TCCB", "--email", "tccb@haiphong.edu.vn")),
    (None, ("users", "set-role", "giamdoc", "coordinator")),
    # Mistakes people make, each answered in words.
    (None, ("tasks", "--limit", "3")),
    (None, ("task", "done")),
    (None, ("task", "bogus")),
    (None, ("tasks", "--status", "xong")),
    (None, ("tasks", "--format", "xml")),
    (None, ("task", "show", "T99")),
    ("giamdoc-khong-co", ("task", "done", "T03")),
    ("hainv", ("task", "done", "T03")),
    (None, ("evidence", "show", "abc")),
    (None, ("score", "--depth", "9")),
]


def all_commands() -> list[tuple[str, ...]]:
    """The path of every command and group, for `--help`."""
    import click

    from planner.cli import cli

    found: list[tuple[str, ...]] = [()]

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                found.append((*path, name))
                walk(sub, (*path, name))

    walk(cli, ())
    return found


def probe_cli(db: str) -> dict[str, str]:
    from click.testing import CliRunner

    from planner.cli import cli

    runner = CliRunner()
    seen: dict[str, str] = {}

    def run(args: tuple[str, ...], user: str | None = None) -> None:
        from planner.services import identity

        with identity.injected(user or COORDINATOR):  # each person at their own login
            result = runner.invoke(cli, ["--db", db, *args], env={"COLUMNS": "120"},
                                   prog_name="planner")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        seen[" ".join(args)] = result.output

    for user, args in WRITES:
        run(args, user)
    for args in READS:
        run(args)
    for path in all_commands():
        run((*path, "--help"))
    return seen


# ----------------------------------------------------------------------------- the terminal UI


async def settle(pilot: Any, rounds: int = 60) -> None:
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause(0.05)
            if not any(worker.is_running for worker in app.workers):
                return
    raise RuntimeError("the app's workers did not settle")


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


#: (name, steps): keys pressed from the dashboard; "=text" types text; "#tab-id" shows a tab
#: of the task's screen; "!notify" gathers the notifications shown so far.
VISITS: list[tuple[str, tuple[str, ...]]] = [
    ("dashboard", ()),
    ("dashboard help", ("question_mark",)),
    ("dashboard palette", ("ctrl+p",)),
    ("palette search", ("ctrl+p", "=qua han")),
    ("palette theme", ("ctrl+p", "=Giao di")),
    ("palette no match", ("ctrl+p", "=zzzzqqq")),
    ("palette quit", ("ctrl+p", "=thoat")),
    ("criteria", ("c", "down", "down", "down")),
    ("criteria threshold", ("c", "down", "enter", "down", "down")),
    ("criteria help", ("c", "question_mark")),
    ("tasks", ("t",)),
    ("tasks search", ("t", "slash", "=vi tri viec lam")),
    ("tasks help", ("t", "question_mark")),
    ("tasks palette", ("t", "ctrl+p")),
    ("add task", ("t", "a")),
    ("task detail", ("t", "slash", "=T21", "enter", "enter")),
    ("task detail help", ("t", "slash", "=T21", "enter", "enter", "question_mark")),
    ("task evidence", ("t", "slash", "=T21", "enter", "enter", "#tab-evidence")),
    ("task history", ("t", "slash", "=T30", "enter", "enter", "d", "enter", "#tab-history")),
    ("task details", ("t", "slash", "=T21", "enter", "enter", "#tab-details")),
    ("add evidence", ("t", "slash", "=T03", "enter", "enter", "a")),
    ("reject evidence", ("t", "slash", "=T21", "enter", "enter", "#tab-evidence", "x")),
    ("offices", ("o",)),
    ("indicators", ("i",)),
    ("add reading", ("i", "a")),
    ("indicators help", ("i", "question_mark")),
    ("report", ("r",)),
    ("quit hint", ("ctrl+c", "!notify")),
]


async def visit(ctx: Any, steps: tuple[str, ...], first_run: bool = False) -> str:
    from textual.widgets import TabbedContent

    from planner.tui.app import build_app

    app = build_app(ctx, first_run=first_run)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = []
        for step in steps:
            if step.startswith("="):
                for character in step[1:]:
                    await pilot.press(character)
            elif step.startswith("#"):
                app.screen.query_one(TabbedContent).active = step[1:]
            elif step == "!notify":
                shown.extend(f"{n.title} {n.message}" for n in app._notifications)
            else:
                await pilot.press(step)
            await settle(pilot)
        await pilot.pause(0.6)  # the palette's "no matches" line comes after a short wait
        await settle(pilot)
        texts = [screen_text(app), *shown]
        texts.extend(f"{n.title} {n.message}" for n in app._notifications)
        return "\n".join(texts)


def probe_tui(db: str) -> dict[str, str]:
    from planner.i18n import set_language
    from planner.services.context import Context
    from planner.services.session import open_database

    set_language(None)  # as `planner tui` does at start-up: from PLANNER_LANG

    seen: dict[str, str] = {}
    template = Path(db)
    for name, steps in VISITS:
        copy = template.with_name(f"visit-{len(seen)}.db")
        copy.write_bytes(template.read_bytes())
        database, _pinned = open_database(str(copy))
        ctx = Context(db=database, actor=COORDINATOR, today=AS_OF)
        seen[name] = asyncio.run(visit(ctx, steps))
        database.dispose()
    empty = template.with_name("empty.db")
    database, _pinned = open_database(str(empty))
    seen["welcome"] = asyncio.run(visit(Context(db=database, actor=COORDINATOR, today=AS_OF), (),
                                        first_run=True))
    database.dispose()
    return seen


def main() -> int:
    kind, db, out = sys.argv[1:4]
    seen = probe_cli(db) if kind == "cli" else probe_tui(db)
    Path(out).write_text(json.dumps(seen, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
