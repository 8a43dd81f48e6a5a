"""Open the terminal UI (Textual is imported only here)."""

from __future__ import annotations

import sys

from planner.cli.common import AppState, warn
from planner.i18n import _


def open_tui(app: AppState, *, demo: bool) -> None:
    from planner.config import default_db_path

    location = app.db_location()
    first_run = app.db is None and location == str(default_db_path()) and not default_db_path().exists()
    ctx = app.context()
    open_tui_with(ctx, first_run=first_run, app_state=app)


def open_tui_with(ctx, *, first_run: bool = False, app_state: AppState | None = None) -> None:  # type: ignore[no-untyped-def]
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        # No terminal (a script, cron, CI): print the score summary instead of a screen.
        from planner.cli.cmd_score import print_score

        warn(_("No terminal: printing the score summary instead of opening the planner."))
        print_score(ctx, ctx.today, depth=1)
        return
    from planner.config import reports_dir
    from planner.tui.app import build_app

    settings = app_state.settings if app_state is not None else None
    build_app(ctx, keys=settings.keys if settings else {}, first_run=first_run,
              mail_from=str(settings.get("mail_from") or "") if settings else None,
              reports_dir=reports_dir(settings) if settings else None).run()
