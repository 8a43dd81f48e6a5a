"""The planner's Textual application and `build_app`, the factory the CLI and the tests call.

Each main screen is a mode with its own stack (task details open on top of the task list), so
switching with d/c/t/o/i/r keeps where you were in each. The app is imported only after the
language is set (planner.cli.cmd_tui imports it lazily), so class-level `_()` texts such as
binding descriptions are translated.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from planner import runtime
from planner.i18n import _
from planner.services.context import Context
from planner.tui.commands import PlannerCommands
from planner.tui.format import fmt_date
from planner.tui.literal import safe
from planner.tui.messages import PlanChanged
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.store import PlanStore

if TYPE_CHECKING:
    from planner.domain.whatif import WhatIfSession
    from planner.tui.screens.base import PlannerScreen

#: The `name` of the report files this app hands to `deliver_binary`.
REPORT_DELIVERY = "planner-report"


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


def _focus() -> Screen[None]:
    from planner.tui.screens.focus import FocusScreen

    return FocusScreen()


#: Screens reached by a key and the command palette but not shown as a tab.
EXTRA_SCREENS: dict[str, tuple[str, str, str]] = {
    "focus": ("screen.focus", "f", _("Tasks that matter most")),
}


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
        "focus": _focus,
        "welcome": _welcome,
    }
    COMMANDS = App.COMMANDS | {PlannerCommands}
    # Screens get the class -narrow below 100 columns (app.tcss lays some out differently).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            # Shown as tabs under the header (ScreenTabs), not in the key bar.
            Binding(keys, f"switch_mode('{mode}')", label, show=False, id=binding_id)
            for mode, (binding_id, keys, label) in (SCREEN_KEYS | EXTRA_SCREENS).items()
        ),
        Binding("question_mark", "help", _("Help"), key_display="?", id="app.help"),
        Binding("q", "quit", _("Quit"), id="app.quit"),
        # In the help and the palette; the key bar keeps its room for the screen's own keys.
        Binding("ctrl+r", "reload", _("Reload"), show=False, id="app.reload"),
        Binding("left_square_bracket", "travel(-1)", _("A week back (read-only)"), show=False,
                key_display="[", id="app.week_back"),
        Binding("right_square_bracket", "travel(1)", _("A week forward"), show=False,
                key_display="]", id="app.week_forward"),
        # Textual's own ctrl+q and ctrl+p, with their words translated (same keys).
        Binding("ctrl+q", "quit", _("Quit"), show=False, priority=True,
                tooltip=_("Quit the app and return to the command prompt."), id="app.quit_now"),
        Binding("ctrl+p", "command_palette", _("palette"), show=False, priority=True,
                tooltip=_("Open the command palette"), id="app.palette"),
    ]

    #: "planner · plan title · agency", shown by every screen's header once the plan is read.
    plan_label: reactive[str] = reactive("planner")
    #: Who the changes are made as, "login (role)": the header shows it beside the date.
    acting_label: reactive[str] = reactive("")
    #: The date the screens show the plan as of (`[` and `]` move it by a week).
    as_of: reactive[date] = reactive(date.min)

    def __init__(self, ctx: Context, *, keys: Mapping[str, str] | None = None,
                 first_run: bool = False, mail_from: str | None = None,
                 reports_dir: Path | None = None) -> None:
        super().__init__()
        runtime.start_session()  # the collector runs, tuned for a long session (planner/runtime.py)
        self.ctx = ctx
        self.store = PlanStore(ctx)
        #: The date the app was opened as of: `]` goes no further, and before it nothing is
        #: written (the past is viewed, not edited).
        self.opened_on = ctx.today
        self.set_reactive(PlannerApp.as_of, ctx.today)
        self._keys = dict(keys or {})
        self._first_run = first_run
        self._mail_from = mail_from
        self._reports_dir = reports_dir
        self._deliveries: dict[str, Screen[object]] = {}  # delivery key -> the screen that asked
        self._screens: set[PlannerScreen] = set()
        # What-if mode (toggled in the task list): hypotheses held here, never written;
        # leaving the mode drops them.
        self.whatif: WhatIfSession | None = None
        if not first_run:
            # The plan loads while Textual starts (parses its CSS, composes the dashboard).
            self.store.prefetch()

    @property
    def as_of_text(self) -> str:
        text = _("as of {date}").format(date=fmt_date(self.ctx.today))
        if self.in_past:
            text += " · " + _("viewing the past, read-only — ] returns")
        return text

    @property
    def in_past(self) -> bool:
        """Whether the screens show an earlier date than the app was opened as of."""
        return self.ctx.today != self.opened_on

    def refuse_write(self) -> bool:
        """The one guard of every change the TUI makes (the keys that lead to one, and the
        service calls themselves): in the past view, tell the user and return True."""
        if not self.in_past:
            return False
        self.notify(_("Viewing the plan as of {date}: nothing can be changed in the past. "
                      "Press ] to return to {today}.").format(
                          date=fmt_date(self.ctx.today), today=fmt_date(self.opened_on)),
                    title=_("Read-only"), severity="warning", timeout=5)
        return True

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

    def reports_dir(self) -> Path:
        """The folder report files are written into: as given, else the `reports_dir`
        setting, else the user's documents folder."""
        if self._reports_dir is None:
            from planner.config import ConfigError, Settings, load_settings, reports_dir

            try:
                settings = load_settings()
            except ConfigError:
                settings = Settings()
            self._reports_dir = reports_dir(settings)
        return self._reports_dir

    # ------------------------------------------------------------------ files

    def deliver_report(self, content: bytes, folder: Path, filename: str) -> None:
        """Hand a report file to Textual, which writes it in a thread and then posts
        DeliveryComplete or DeliveryFailed (below) with the full path."""
        from planner.tui.delivery import binary_safe

        if self._driver is not None:
            binary_safe(self._driver)
        key = self.deliver_binary(io.BytesIO(content), save_directory=folder,
                                  save_filename=filename, name=REPORT_DELIVERY)
        if key is not None:
            self._deliveries[key] = self.screen

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self._delivered(event.key, event.name, event.path, None)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self._delivered(event.key, event.name, None, event.exception)

    def _delivered(self, key: str, name: str | None, path: Path | None,
                   error: BaseException | None) -> None:
        if name != REPORT_DELIVERY:
            return  # a screenshot: Textual tells of it itself
        from planner.tui.screens.report_preview import ReportPreviewScreen

        screen = self._deliveries.pop(key, None)
        if screen is None or not screen.is_attached:
            screen = self.screen
        screen.post_message(ReportPreviewScreen.Exported(path, error))

    # ------------------------------------------------------------------ screens

    def register_screen(self, screen: PlannerScreen) -> None:
        self._screens.add(screen)

    def unregister_screen(self, screen: PlannerScreen) -> None:
        self._screens.discard(screen)

    def announce_change(self, *, full: bool = False) -> None:
        """The plan changed: every screen reloads (the visible one now, the others when shown),
        re-reading only the tasks the change log names unless `full`. What-if hypotheses were
        made on the plan as it was: they are dropped."""
        self.whatif = None
        self.store.invalidate(full=full)
        for screen in list(self._screens):
            screen.post_message(PlanChanged())

    def show_welcome(self) -> None:
        if self.current_mode != "welcome":
            self.switch_mode("welcome")

    def leave_welcome(self) -> None:
        """A plan now exists: open the dashboard (loading it afresh)."""
        # The sample plan is opened as of its own date: that is the present from now on.
        self.opened_on = self.as_of = self.ctx.today
        self.announce_change()
        self.switch_mode("dashboard")

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog keeps the keyboard: no switching screens from under it, and no screens
        # before a plan exists.
        if action in ("switch_mode", "help", "reload", "travel"):
            if isinstance(self.screen, ModalScreen):
                return False
            if self.current_mode == "welcome" and action != "help":
                return False
        return True

    def action_command_palette(self) -> None:
        from planner.tui.textual_i18n import PlannerCommandPalette

        if self.use_command_palette and not PlannerCommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(PlannerCommandPalette())

    def action_help_quit(self) -> None:
        # Textual's answer to ctrl+c (which no longer quits), in the user's language.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(_("Press {key} to quit planner.").format(key=self.get_key_display(
                    active.binding.with_key(key))), title=_("Do you want to quit?"))
                return

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's system commands of the palette, in the user's language. "Keys" opens
        planner's help (Textual's key panel would list its bindings in English); the SVG
        screenshot is left out (a developer's tool, and its messages are English)."""
        yield SystemCommand(_("Theme"), _("Change the colours of planner"), self.action_change_theme)
        yield SystemCommand(_("Quit"), _("Quit planner"), self.action_quit)
        yield SystemCommand(_("Keys"), _("The keys of this screen"), self.action_help)
        if screen.maximized is not None:
            yield SystemCommand(_("Minimize"), _("Restore the widget to its normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(_("Maximize"), _("Show the focused widget on the whole screen"),
                                screen.action_maximize)

    async def action_switch_mode(self, mode: str) -> None:
        """A screen's key: that screen. Pressed on a screen opened from it (a task opened from
        the dashboard), back to it, unless one of those screens holds unsaved changes."""
        if mode != self.current_mode or len(self.screen_stack) <= 1:
            self.switch_mode(mode)
            return
        for screen in self.screen_stack[1:]:
            dirty = getattr(screen, "dirty_fields", None)
            if dirty is not None and dirty():
                self.notify(_("Unsaved changes: ctrl+s saves them, escape leaves without saving."),
                            severity="warning", timeout=5)
                return
        while len(self.screen_stack) > 1:
            await self.pop_screen()

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
        self.announce_change(full=True)
        self.notify(_("Reloaded from the database."), timeout=2)

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        # A key (or a click in the key bar, or the palette) that leads to a change is refused
        # here, before its dialog opens, when the screen shows the past: see WRITE_ACTIONS.
        target, name, _params = self._parse_action(
            action, self if default_namespace is None else default_namespace, namespaces)
        if name in getattr(target, "WRITE_ACTIONS", ()) and self.refuse_write():
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def action_travel(self, weeks: int) -> None:
        """Move the as-of date by `weeks` (never past the date the app was opened as of, nor
        before the plan starts); every screen reloads as of the new date."""
        from planner.tui.time_travel import next_as_of

        for screen in self.screen_stack[1:]:
            dirty = getattr(screen, "dirty_fields", None)
            if dirty is not None and dirty():
                self.notify(_("Unsaved changes: ctrl+s saves them, escape leaves without saving."),
                            severity="warning", timeout=5)
                return
        latest = self.store.latest
        starts_on = latest.facts.starts_on if latest is not None else None
        day = next_as_of(self.ctx.today, weeks, self.opened_on, starts_on)
        if day == self.ctx.today:
            if weeks > 0 or starts_on is None:
                self.notify(_("Already as of today, {date}.").format(date=fmt_date(day)), timeout=3)
            else:
                self.notify(_("The plan starts on {date}.").format(date=fmt_date(starts_on)),
                            timeout=3)
            return
        if self.whatif is not None:
            # Hypotheses are made on the plan as of one date: they do not travel.
            self.notify(_("What-if mode left: the hypotheses are dropped."), timeout=3)
        self.ctx = replace(self.ctx, today=day)
        self.store.move_to(self.ctx)
        self.as_of = day
        self.announce_change()
        self.refresh_bindings()


def build_app(ctx: Context, *, keys: Mapping[str, str] | None = None, first_run: bool = False,
              mail_from: str | None = None, reports_dir: Path | None = None) -> App[None]:
    """The application for `ctx`: `keys` remaps bindings by id, `first_run` opens the welcome,
    `mail_from` is the sender of the report's email file (default: the `mail_from` setting),
    `reports_dir` the folder report files go to (default: the `reports_dir` setting)."""
    return PlannerApp(ctx, keys=keys, first_run=first_run, mail_from=mail_from,
                      reports_dir=reports_dir)
