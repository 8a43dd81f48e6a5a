"""The planner's Textual application and `build_app`, the factory the CLI and the tests call.

Each main screen is a mode with its own stack (task details open on top of the task list), so
switching with d/c/t/o/i/r keeps where you were in each. The app is imported only after the
language is set (planner.cli.cmd_tui imports it lazily), so class-level `_()` texts such as
binding descriptions are translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from planner.i18n import _
from planner.services.context import Context
from planner.tui.commands import PlannerCommands
from planner.tui.format import fmt_date
from planner.tui.literal import safe
from planner.tui.messages import PlanChanged
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.store import PlanStore

if TYPE_CHECKING:
    from planner.tui.screens.base import PlannerScreen

#: Main screens: mode name -> (binding id, keys, description). The first key is the one shown.
SCREEN_KEYS: dict[str, tuple[str, str, str]] = {
    "dashboard": ("screen.dashboard", "d,1", _("Dashboard")),
    "criteria": ("screen.criteria", "c,2", _("Criteria")),
    "tasks": ("screen.tasks", "t,3", _("Tasks")),
    "offices": ("screen.offices", "o,4", _("Offices")),
    "indicators": ("screen.indicators", "i,5", _("Indicators")),
    "report": ("screen.report", "r,6", _("Report")),
}


# The other screens are imported when first opened: the dashboard paints sooner.
def _criteria() -> Screen[None]:
    from planner.tui.screens.criteria import CriteriaScreen

    return CriteriaScreen()


def _tasks() -> Screen[None]:
    from planner.tui.screens.task_list import TaskListScreen

    return TaskListScreen()


def _offices() -> Screen[None]:
    from planner.tui.screens.offices import OfficesScreen

    return OfficesScreen()


def _indicators() -> Screen[None]:
    from planner.tui.screens.indicators import IndicatorsScreen

    return IndicatorsScreen()


def _report() -> Screen[None]:
    from planner.tui.screens.report_preview import ReportPreviewScreen

    return ReportPreviewScreen()


def _welcome() -> Screen[None]:
    from planner.tui.screens.welcome import WelcomeScreen

    return WelcomeScreen()


class PlannerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "planner"
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "criteria": _criteria,
        "tasks": _tasks,
        "offices": _offices,
        "indicators": _indicators,
        "report": _report,
        "welcome": _welcome,
    }
    COMMANDS = App.COMMANDS | {PlannerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            # Shown as tabs under the header (ScreenTabs), not in the key bar.
            Binding(keys, f"switch_mode('{mode}')", label, show=False, id=binding_id)
            for mode, (binding_id, keys, label) in SCREEN_KEYS.items()
        ),
        Binding("question_mark", "help", _("Help"), key_display="?", id="app.help"),
        Binding("q", "quit", _("Quit"), id="app.quit"),
        Binding("ctrl+r", "reload", _("Reload"), id="app.reload"),
    ]

    #: "planner · plan title · agency", shown by every screen's header once the plan is read.
    plan_label: reactive[str] = reactive("planner")

    def __init__(self, ctx: Context, *, keys: Mapping[str, str] | None = None,
                 first_run: bool = False, mail_from: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.store = PlanStore(ctx)
        self._keys = dict(keys or {})
        self._first_run = first_run
        self._mail_from = mail_from
        self._screens: set[PlannerScreen] = set()
        if not first_run:
            # The plan loads while Textual starts (parses its CSS, composes the dashboard).
            self.store.prefetch()

    @property
    def as_of_text(self) -> str:
        return _("as of {date}").format(date=fmt_date(self.ctx.today))

    def on_mount(self) -> None:
        if self._keys:
            self.set_keymap(self._keys)
        self.switch_mode("welcome" if self._first_run else "dashboard")

    def mail_from(self) -> str:
        """The sender of the email files the report preview writes: as given, else the
        `mail_from` setting (config file or PLANNER_MAIL_FROM); empty when unset."""
        if self._mail_from is None:
            from planner.config import ConfigError, load_settings

            try:
                self._mail_from = str(load_settings().get("mail_from") or "")
            except ConfigError:
                self._mail_from = ""
        return self._mail_from

    # ------------------------------------------------------------------ screens

    def register_screen(self, screen: PlannerScreen) -> None:
        self._screens.add(screen)

    def unregister_screen(self, screen: PlannerScreen) -> None:
        self._screens.discard(screen)

    def announce_change(self) -> None:
        """The plan changed: every screen reloads (the visible one now, the others when shown)."""
        self.store.invalidate()
        for screen in list(self._screens):
            screen.post_message(PlanChanged())

    def show_welcome(self) -> None:
        if self.current_mode != "welcome":
            self.switch_mode("welcome")

    def leave_welcome(self) -> None:
        """A plan now exists: open the dashboard (loading it afresh)."""
        self.announce_change()
        self.switch_mode("dashboard")

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog keeps the keyboard: no switching screens from under it, and no screens
        # before a plan exists.
        if action in ("switch_mode", "help", "reload"):
            if isinstance(self.screen, ModalScreen):
                return False
            if self.current_mode == "welcome" and action != "help":
                return False
        return True

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is literal text: the messages quote names and what was typed
        (`Unknown office "[red]x"`), which must never be read as markup or reach the terminal
        as a control sequence. planner's own notifications use no markup."""
        super().notify(safe(message, multiline=True), title=safe(title), severity=severity,
                       timeout=timeout, markup=False)

    def action_help(self) -> None:
        from planner.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_reload(self) -> None:
        self.announce_change()
        self.notify(_("Reloaded from the database."), timeout=2)


def build_app(ctx: Context, *, keys: Mapping[str, str] | None = None, first_run: bool = False,
              mail_from: str | None = None) -> App[None]:
    """The application for `ctx`: `keys` remaps bindings by id, `first_run` opens the welcome,
    `mail_from` is the sender of the report's email file (default: the `mail_from` setting)."""
    return PlannerApp(ctx, keys=keys, first_run=first_run, mail_from=mail_from)
