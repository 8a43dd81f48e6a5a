"""First run: no plan yet. Load the sample plan, import one from a spreadsheet, or start an
empty plan; each leads to the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from planner.i18n import _
from planner.services.errors import InputError
from planner.store.models import Plan
from planner.tui.literal import literal
from planner.tui.screens.base import PlannerScreen, error_text

if TYPE_CHECKING:
    from planner.services.plan_load import ImportSummary


class WelcomeScreen(PlannerScreen):
    def compose_body(self) -> ComposeResult:
        year = self.ctx.today.year
        with Vertical(id="welcome"):
            yield Static(_("Welcome to planner"), id="welcome-title")
            yield Static(_("The database holds no plan yet. Choose how to start; you can add "
                           "tasks, evidence and readings afterwards."), id="welcome-intro")
            yield Label(_("Try it on the sample: the 2022 plan of the Hai Phong Department of "
                          "Education and Training"), classes="field-label")
            yield Button(_("Load the sample plan"), id="welcome-sample", variant="primary")
            yield Label(_("Import a plan from its appendix table (path to the .xlsx or .csv file); "
                          "offices it names that are new are created"), classes="field-label")
            with Horizontal(classes="welcome-row"):
                yield Input(placeholder="~/ke-hoach-cchc-2022.xlsx", id="welcome-import-path")
                yield Button(_("Import"), id="welcome-import")
            yield Label(_("Start an empty plan (year and title)"), classes="field-label")
            with Horizontal(classes="welcome-row"):
                yield Input(str(year), id="welcome-year", type="integer")
                yield Input(_("Administrative reform plan {year}").format(year=year), id="welcome-title-input")
                yield Button(_("Start"), id="welcome-empty")
            yield Static("", id="welcome-error")

    def on_mount(self) -> None:
        self.query_one("#welcome-sample", Button).focus()

    def _opened(self, _result: object) -> None:
        self.planner.leave_welcome()

    @on(Button.Pressed, "#welcome-sample")
    def load_sample(self) -> None:
        ctx = self.ctx

        def work() -> Plan:
            from planner.io.sample import sample_plan_path
            from planner.io.seedfile import SeedError, load_seed_file
            from planner.services.plan_load import load_seed
            from planner.services.users import ensure_first_coordinator

            try:
                seed = load_seed_file(sample_plan_path())
            except SeedError as exc:
                raise InputError(str(exc)) from exc
            plan = load_seed(ctx.db, seed, actor=ctx.actor, real_actor=ctx.real_actor)
            ensure_first_coordinator(ctx)
            return plan

        def loaded(plan: Plan) -> None:
            if plan.demo_as_of:
                # The sample is a year in the past: show it as of its own date (this session
                # only; nothing is pinned in the database, unlike `planner demo`).
                ctx.today = plan.demo_as_of
            self.planner.leave_welcome()

        self.run_service(work, done=_("Sample plan loaded."), then=loaded)

    @on(Button.Pressed, "#welcome-import")
    @on(Input.Submitted, "#welcome-import-path")
    def import_plan(self) -> None:
        from pathlib import Path

        typed = self.query_one("#welcome-import-path", Input).value.strip()
        if not typed:
            self.notify(_("file: give the path of the spreadsheet."), severity="error")
            return
        path = Path(typed).expanduser()
        ctx = self.ctx

        def work() -> ImportSummary:
            from planner.io.files import regular_file
            from planner.io.plan_import import ImportOptions
            from planner.services.plan_load import prepare_import, write_import
            from planner.services.users import ensure_first_coordinator

            regular_file(path)  # a FIFO would block, a device never ends: refused first
            # A new database knows no office yet: the plan's own offices are created.
            imp = prepare_import(ctx.db, path, ImportOptions(create_offices=True, limits=ctx.limits),
                                 plan_year=ctx.plan_year)
            if imp.problems:
                shown = "\n".join(str(p) for p in imp.problems[:8])
                more = len(imp.problems) - 8
                if more > 0:
                    shown += "\n" + _("… and {n} more problems.").format(n=more)
                raise InputError(_("{file}: {n} problems; nothing was imported.").format(
                    file=path.name, n=len(imp.problems)) + "\n" + shown)
            summary = write_import(ctx, imp)  # the coordinator's right, checked inside
            ensure_first_coordinator(ctx)
            return summary

        def imported(summary: ImportSummary) -> None:
            self.notify(_("Created the {year} plan from {file}: {tasks} tasks.").format(
                year=summary.year, file=path.name, tasks=summary.tasks), timeout=5)
            self.planner.leave_welcome()

        def failed(error: BaseException) -> None:
            self.query_one("#welcome-error", Static).update(literal(error_text(error), multiline=True))
            self.notify_error(error)

        self.run_service(work, then=imported, on_error=failed)

    @on(Button.Pressed, "#welcome-empty")
    @on(Input.Submitted, "#welcome-title-input")
    def start_empty(self) -> None:
        from planner.services.plans_admin import create_plan
        from planner.services.users import ensure_first_coordinator

        ctx = self.ctx
        year_text = self.query_one("#welcome-year", Input).value.strip()
        title = self.query_one("#welcome-title-input", Input).value
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            self.notify(_("year: give a year such as {year}.").format(year=ctx.today.year),
                        severity="error")
            return
        year = int(year_text)

        def work() -> object:
            plan = create_plan(ctx, year, title)
            ensure_first_coordinator(ctx)
            return plan

        self.run_service(work, done=_("Empty {year} plan created.").format(year=year), then=self._opened)
