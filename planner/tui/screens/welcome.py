"""First run: no plan yet. Load the sample plan or start an empty plan.

(Importing a plan from a spreadsheet is offered once planner.io.plan_import exists.)
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from planner.i18n import _
from planner.services.errors import InputError
from planner.store.models import Plan
from planner.tui.screens.base import PlannerScreen


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
            yield Label(_("Start an empty plan (year and title)"), classes="field-label")
            with Horizontal(classes="welcome-row"):
                yield Input(str(year), id="welcome-year", type="integer")
                yield Input(_("Administrative reform plan {year}").format(year=year), id="welcome-title-input")
                yield Button(_("Start"), id="welcome-empty")

    def on_mount(self) -> None:
        self.query_one("#welcome-sample", Button).focus()

    def _opened(self, _result: object) -> None:
        self.planner.leave_welcome()

    @on(Button.Pressed, "#welcome-sample")
    def load_sample(self) -> None:
        ctx = self.ctx

        def work() -> Plan:
            from planner.io.sample import sample_plan_path
            from planner.io.seed_loader import load_seed
            from planner.io.seedfile import SeedError, load_seed_file
            from planner.services.users import ensure_first_coordinator

            try:
                seed = load_seed_file(sample_plan_path())
            except SeedError as exc:
                raise InputError(str(exc)) from exc
            plan = load_seed(ctx.db, seed, actor=ctx.actor)
            ensure_first_coordinator(ctx)
            return plan

        def loaded(plan: Plan) -> None:
            if plan.demo_as_of:
                # The sample is a year in the past: show it as of its own date (this session
                # only; nothing is pinned in the database, unlike `planner demo`).
                ctx.today = plan.demo_as_of
            self.planner.leave_welcome()

        self.run_service(work, done=_("Sample plan loaded."), then=loaded)

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
