"""Screens of the user guide, taken from the real app on the sample plan, so they stay true.

    python scripts/screenshots.py            # every language: docs/images/en/*.svg, docs/images/vi/*.svg
    python scripts/screenshots.py --lang vi  # one language
    python scripts/screenshots.py --list     # the screens and how each is reached

Each language runs in its own process: the TUI's key descriptions are translated when its
modules are imported, so the language must be set before the first import. Every run loads
seed/plan-2022.toml into a fresh temporary database, as of 09/05/2022 (the sample's date),
builds the app with `planner.tui.app.build_app` at 120×40, presses the keys a person would
press and saves an SVG of each screen. Run it again after any change to a screen or to the
Vietnamese catalog, and commit the images with the change.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"
OUT = ROOT / "docs" / "images"
AS_OF = date(2022, 5, 9)
SIZE = (120, 40)
LANGUAGES = ("en", "vi")
TEXT = "--text" in sys.argv  # also print each screen as text (to check what a shot shows)


@dataclass(frozen=True)
class Shot:
    name: str  # file name without .svg
    steps: tuple[str, ...]  # keys pressed once the dashboard has loaded; "=text" types text
    about: str
    first_run: bool = False  # an empty database: the welcome screen


SHOTS = (
    Shot("welcome", (), "first run on an empty database: the welcome screen", first_run=True),
    Shot("dashboard", (), "the dashboard"),
    Shot("criteria", ("c", "down", "down", "down"),
         "the criteria tree on 1.3, the worked example of the guide"),
    Shot("tasks", ("t",), "the task list"),
    Shot("tasks-search", ("t", "slash", "=vi tri viec lam"),
         "the task list searched without accents"),
    Shot("task-detail", ("t", "slash", "=T21", "enter", "enter"),
         "task T21: rejected evidence, and its replacement awaiting review"),
    Shot("evidence-dialog", ("t", "slash", "=T03", "enter", "enter", "a", "=123/QĐ-SGDĐT", "tab",
                             "=12/5/2022", "tab", "=Sở GD&ĐT Hải Phòng", "tab",
                             "=Quyết định phân công đơn vị chủ trì, phối hợp"),
         "adding evidence to T03: document number, date, issuer and title"),
    Shot("offices", ("o",), "the accountability board by office"),
    Shot("indicators", ("i",), "indicators and their readings"),
    Shot("help", ("question_mark",), "help: the keys of the screen underneath"),
)


# ----------------------------------------------------------------------------- one language


def seeded_database(directory: Path) -> Path:
    """The sample plan in a new SQLite file, with a coordinator and three division users."""
    from planner.io.seedfile import load_seed_file
    from planner.services.context import Context
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database
    from planner.services.users import ensure_first_coordinator, save_user

    path = directory / "sample.db"
    db, _pinned = open_database(str(path))
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    ctx = Context(db=db, actor="coordinator", today=AS_OF)
    ensure_first_coordinator(ctx)
    for login, office in (("vp", "VP"), ("tccb", "TCCB"), ("khtc", "KHTC")):
        save_user(ctx, login, role="office_member", office=office, create=True)
    db.dispose()
    return path


def context(path: Path) -> Any:
    from planner.services.context import Context
    from planner.services.session import open_database

    db, _pinned = open_database(str(path))
    return Context(db=db, actor="coordinator", today=AS_OF)


async def settle(pilot: Any, rounds: int = 60) -> None:
    """Wait until no worker runs and every message they posted has been handled."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause(0.05)
            if not any(worker.is_running for worker in app.workers):
                return
    raise RuntimeError("the app's workers did not settle")


async def take(shot: Shot, ctx: Any, target: Path) -> None:
    from planner.tui.app import build_app

    app = build_app(ctx, first_run=shot.first_run)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in shot.steps:
            if step.startswith("="):
                for character in step[1:]:
                    await pilot.press(character)
            else:
                await pilot.press(step)
            await settle(pilot)
        await pilot.pause(0.2)  # let notifications and the cursor settle
        app.save_screenshot(filename=target.name, path=str(target.parent))
        if TEXT:
            print("\n".join(strip.text for strip in app.screen._compositor.render_strips()))


def run_language(lang: str, only: set[str] | None) -> list[Path]:
    from planner.i18n import set_language

    set_language(lang)  # before planner.tui is imported: binding texts are read at import
    out = OUT / lang
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="planner-shots-") as tmp:
        template = seeded_database(Path(tmp))
        for shot in SHOTS:
            if only and shot.name not in only:
                continue
            if shot.first_run:
                from planner.services.session import open_database

                empty = Path(tmp) / f"{shot.name}.db"
                open_database(str(empty))[0].dispose()
                ctx = context(empty)
            else:
                copy = Path(tmp) / f"{shot.name}.db"
                copy.write_bytes(template.read_bytes())  # each shot starts from the sample
                ctx = context(copy)
            target = out / f"{shot.name}.svg"
            asyncio.run(take(shot, ctx, target))
            ctx.db.dispose()
            written.append(target)
            print(target.relative_to(ROOT))
    return written


# ----------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=(*LANGUAGES, "all"), default="all")
    parser.add_argument("--only", action="append", metavar="NAME", help="only this screen (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the screens and exit")
    parser.add_argument("--text", action="store_true", help="also print each screen as text")
    args = parser.parse_args(argv)
    if args.list:
        for shot in SHOTS:
            print(f"{shot.name:16} {shot.about}\n{'':16} keys: {' '.join(shot.steps) or '-'}")
        return 0
    if args.lang == "all":
        # One process per language (see the module's docstring).
        extra = [a for name in (args.only or []) for a in ("--only", name)]
        extra += ["--text"] if args.text else []
        for lang in LANGUAGES:
            done = subprocess.run([sys.executable, __file__, "--lang", lang, *extra], check=False)
            if done.returncode != 0:
                return done.returncode
        return 0
    run_language(args.lang, set(args.only) if args.only else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

