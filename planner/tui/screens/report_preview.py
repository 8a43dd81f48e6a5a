"""The weekly status as `planner report weekly` renders it for text, for the whole plan or one
office, built in a thread worker; p writes the PDF and m the email file (.eml), handed to
Textual's `deliver_binary`, into the folder of the `reports_dir` setting (by default the
user's documents folder): chosen once, and named in full when a file is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Log, Select, Static

from planner import runtime
from planner.i18n import _
from planner.services.errors import InputError
from planner.tui.literal import literal
from planner.tui.screens.base import PlannerScreen, error_text

if TYPE_CHECKING:
    from planner.reports.model import WeeklyReport


@dataclass(frozen=True)
class Preview:
    report: WeeklyReport
    text: str
    offices: list[tuple[Text, str]]  # (label, code) of every office, for the selector


class ReportPreviewScreen(PlannerScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "write_pdf", _("Write PDF"), id="report.pdf"),
        Binding("m", "write_eml", _("Write email file"), id="report.eml"),
    ]

    class Rendered(Message):
        """The export worker made the file's content; the app delivers it."""

        def __init__(self, content: bytes, folder: Path, filename: str) -> None:
            super().__init__()
            self.content = content
            self.folder = folder
            self.filename = filename

    class Exported(Message):
        """A file was written, or could not be (the app tells the screen either way)."""

        def __init__(self, path: Path | None, error: BaseException | None) -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.office: str | None = None
        self.report: WeeklyReport | None = None
        self.exports = 0  # files written (the tests wait on it)
        self._offices_listed = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="report-bar"):
            yield Select[str]([], prompt=_("All offices"), id="report-office", compact=True)
            yield Input(placeholder=_("To (empty: the office head)"), id="report-to",
                        compact=True)
        yield Static(_("p and m write into {folder} (the reports_dir setting)").format(
            folder=self.planner.reports_dir()), id="report-folder")
        yield Log(id="report-text", highlight=False, auto_scroll=False)

    def on_mount(self) -> None:
        # Textual calls PlannerScreen.on_mount too (handlers run along the MRO): it loads.
        self.query_one(Log).focus()

    # ------------------------------------------------------------------ loading

    def fetch(self) -> Preview:
        from planner.reports.model import build_weekly
        from planner.reports.text import render_text

        # A report run, in a worker: as the CLI's runs, without the collector, which would
        # otherwise traverse the half-built report again and again (planner/runtime.py).
        with runtime.collector_paused():
            report = build_weekly(self.ctx, self.ctx.today, office=self.office)
            text = render_text(report)
        offices = [(literal(f"{o.code} · {o.name}"), o.code) for o in self.planner.store.overview().offices]
        return Preview(report, text, offices)

    def show(self, data: Preview) -> None:
        self.report = data.report
        if not self._offices_listed:
            self._offices_listed = True
            self.query_one(Select).set_options(data.offices)
        log = self.query_one(Log)
        log.clear()
        # Log.write_lines drops empty lines: a space keeps the report's blank lines.
        log.write_lines([line or " " for line in data.text.splitlines()], scroll_end=False)
        log.scroll_home(animate=False)

    @on(Select.Changed, "#report-office")
    def _office_changed(self, event: Select.Changed) -> None:
        office = event.value if isinstance(event.value, str) else None
        if office != self.office:
            self.office = office
            self.report = None
            self.reload()

    # ------------------------------------------------------------------ export

    def action_write_pdf(self) -> None:
        self._start_export("pdf")

    def action_write_eml(self) -> None:
        self._start_export("eml")

    def _start_export(self, fmt: str) -> None:
        if self.report is None:
            self.notify(_("The report is still being prepared."), timeout=3)
            return
        to = self.query_one("#report-to", Input).value
        self._export(self.report, fmt, self.planner.reports_dir(), to)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, report: WeeklyReport, fmt: str, folder: Path, to: str) -> None:
        """Render the file (fpdf is imported here, off the UI thread) and make sure its folder
        exists; Textual writes it."""
        try:
            content = _content(report, fmt, to, self.planner.mail_from())
            _make_folder(folder)
        except Exception as exc:
            self.post_message(self.Exported(None, exc))
            return
        self.post_message(self.Rendered(content, folder, _filename(report, fmt)))

    def on_report_preview_screen_rendered(self, message: ReportPreviewScreen.Rendered) -> None:
        self.planner.deliver_report(message.content, message.folder, message.filename)

    def on_report_preview_screen_exported(self, message: ReportPreviewScreen.Exported) -> None:
        if message.error is not None:
            self.log.error(repr(message.error))
            self.notify(error_text(message.error), title=_("Not written"), severity="error",
                        timeout=8)
            return
        self.exports += 1
        self.notify(_("Written: {path}").format(path=message.path), timeout=8)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot write into {path}: {reason}").format(
            path=folder, reason=exc.strerror or exc)) from exc


def _filename(report: WeeklyReport, fmt: str) -> str:
    from planner.reports.output import default_filename

    return default_filename(report, fmt)


def _content(report: WeeklyReport, fmt: str, to: str, mail_from: str) -> bytes:
    """The PDF, or the email with the PDF attached (fpdf is imported here, in the worker)."""
    from planner.reports.pdf import render_pdf

    with runtime.collector_paused():  # a report run (see ReportScreen.fetch)
        pdf = render_pdf(report)
    if fmt == "pdf":
        return pdf
    from planner.reports.eml import build_message, message_bytes, split_addresses

    msg = build_message(report, mail_from=mail_from, to=split_addresses([to]) or None,
                        attach_pdf=True, pdf=pdf)
    return message_bytes(msg)

