"""What every planner screen shares: the header and key bar, loading in a thread worker,
reloading when the plan changes, and running a service call without blocking the UI."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import ConflictError, PlannerError
from planner.tui.messages import PlanChanged
from planner.tui.textual_i18n import PlannerFooter
from planner.tui.widgets.plan_header import PlanHeader
from planner.tui.widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp

T = TypeVar("T")


def error_text(exc: BaseException) -> str:
    """What to tell the user about a failure: the service's own words when it has them."""
    if isinstance(exc, PlannerError):
        return exc.message
    try:
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm.exc import StaleDataError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        pass
    else:
        if isinstance(exc, StaleDataError):
            return _("This record was changed by someone else: reload and try again.")
        if isinstance(exc, OperationalError):
            detail = str(getattr(exc, "orig", exc)).splitlines()[0]
            if "locked" in detail:
                return _("The database is busy (another planner is writing): try again.")
            return _("the database could not be used: {detail}").format(detail=detail)
    return _("Unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")


class Written(Message, Generic[T]):
    """A service call finished (in a worker); handled on the UI thread by the screen."""

    def __init__(self, result: T | None, error: BaseException | None,
                 done: str | None, then: Callable[[T], None] | None,
                 on_error: Callable[[BaseException], None] | None) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.done = done
        self.then = then
        self.on_error = on_error


class PlannerScreen(Screen[None]):
    """A screen that shows data loaded by `fetch` (in a thread) through `show` (on the UI)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Hidden from the key bar to keep it short; screens opened on top show it.
        Binding("escape", "go_back", _("Back"), show=False, id="nav.back"),
    ]

    #: The actions that lead to a change of the plan: refused (by the app, before any dialog
    #: opens) while the app shows the past.
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    class Loaded(Message):
        def __init__(self, data: Any) -> None:
            super().__init__()
            self.data = data

    class LoadFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._stale = False
        self.loads = 0  # how many loads have been shown (tests and the benchmark wait on it)

    @property
    def planner(self) -> PlannerApp:
        return cast("PlannerApp", self.app)

    @property
    def ctx(self) -> Context:
        return self.planner.ctx

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield PlanHeader()
        yield ScreenTabs()
        yield from self.compose_body()
        yield PlannerFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    # ------------------------------------------------------------------ loading

    def on_mount(self) -> None:
        self.planner.register_screen(self)
        self.reload()

    def on_unmount(self) -> None:
        self.planner.unregister_screen(self)

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()

    def on_plan_changed(self, _message: PlanChanged) -> None:
        if self.is_current:
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        self._stale = False
        self._load()

    def fetch(self) -> Any:
        """Read what the screen shows. Runs in a worker thread: no widgets here."""
        return None

    def show(self, data: Any) -> None:
        """Put freshly fetched data on screen (UI thread)."""

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            data = self.fetch()
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(self.LoadFailed(exc))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(data))

    def on_planner_screen_loaded(self, message: PlannerScreen.Loaded) -> None:
        store = self.planner.store
        latest = store.latest
        if latest is not None:
            plan = latest.plan
            self.planner.plan_label = " · ".join(p for p in ("planner", plan.title, plan.agency) if p)
        if store.actor is not None:
            self.planner.acting_label = store.actor.label()
        self.show(message.data)
        self.shown()

    def shown(self) -> None:
        """The data just loaded is on screen (tests and the benchmark wait on `loads`)."""
        self.loads += 1
        self.planner.store.warm_up()

    def on_planner_screen_load_failed(self, message: PlannerScreen.LoadFailed) -> None:
        self.log.error(repr(message.error))
        self.notify(error_text(message.error), title=_("Could not load"), severity="error")

    # ------------------------------------------------------------------ changes

    def run_service(self, action: Callable[[], T], *, done: str | None = None,
                    then: Callable[[T], None] | None = None,
                    on_error: Callable[[BaseException], None] | None = None) -> None:
        """Call a service that changes the plan, off the UI thread.

        On success: notify `done`, tell every screen the plan changed, then call `then` with
        the result. On failure: `on_error` if given (it gets conflicts too), else a notification.
        Refused, with a notification, while the app shows the past.
        """
        if self.planner.refuse_write():
            return
        self._write(action, done, then, on_error)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, action: Callable[[], Any], done: str | None,
               then: Callable[[Any], None] | None,
               on_error: Callable[[BaseException], None] | None) -> None:
        try:
            result = action()
        except Exception as exc:
            self.post_message(Written(None, exc, done, then, on_error))
            return
        self.post_message(Written(result, None, done, then, on_error))

    def on_written(self, message: Written[Any]) -> None:
        if message.error is not None:
            if message.on_error is not None:
                message.on_error(message.error)
            else:
                self.notify_error(message.error)
            return
        if message.done:
            self.notify(message.done, timeout=3)
        self.planner.announce_change()
        if message.then is not None:
            message.then(message.result)

    def notify_error(self, error: BaseException) -> None:
        if not isinstance(error, PlannerError):
            self.log.error(repr(error))
        title = _("Changed by someone else") if isinstance(error, ConflictError) else _("Not saved")
        self.notify(error_text(error), title=title, severity="error", timeout=8)

    # ------------------------------------------------------------------ navigation

    def can_go_back(self) -> bool:
        return len(self.app.screen_stack) > 1 or self.app.current_mode not in ("dashboard", "welcome")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hidden (not just greyed) where there is nowhere to go back to.
        if action == "go_back":
            return self.can_go_back()
        # Greyed in the key bar while the app shows the past; pressed, the app refuses them
        # with a message (PlannerApp.run_action) instead of doing nothing.
        if action in self.WRITE_ACTIONS and self.planner.in_past:
            return None
        return True

    def action_go_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        elif self.app.current_mode not in ("dashboard", "welcome"):
            self.app.switch_mode("dashboard")
