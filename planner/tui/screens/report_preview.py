"""The weekly status as `planner report weekly` renders it for text, for the whole plan or one
office, built in a thread worker; p writes the PDF and m the email file (.eml) into the
directory typed above the report (the current directory when empty)."""

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
from textual.widgets import Input, Log, Select

from planner.i18n import _
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

    class Exported(Message):
        """A file was written (or not) by the export worker."""

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
            yield Input(placeholder=_("Directory (empty: the current directory)"), id="report-dir",
                        compact=True)
            yield Input(placeholder=_("To (empty: the office head)"), id="report-to",
                        compact=True)
        yield Log(id="report-text", highlight=False, auto_scroll=False)

    def on_mount(self) -> None:
        # Textual calls PlannerScreen.on_mount too (handlers run along the MRO): it loads.
        self.query_one(Log).focus()

    # ------------------------------------------------------------------ loading

    def fetch(self) -> Preview:
        from planner.reports.model import build_weekly
        from planner.reports.text import render_text

        report = build_weekly(self.ctx, self.ctx.today, office=self.office)
        offices = [(literal(f"{o.code} · {o.name}"), o.code) for o in self.planner.store.overview().offices]
        return Preview(report, render_text(report), offices)

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

    def _directory(self) -> Path:
        typed = self.query_one("#report-dir", Input).value.strip()
        return Path(typed).expanduser() if typed else Path(".")

    def action_write_pdf(self) -> None:
        self._start_export("pdf")

    def action_write_eml(self) -> None:
        self._start_export("eml")

    def _start_export(self, fmt: str) -> None:
        if self.report is None:
            self.notify(_("The report is still being prepared."), timeout=3)
            return
        to = self.query_one("#report-to", Input).value
        self._export(self.report, fmt, self._directory(), to)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, report: WeeklyReport, fmt: str, directory: Path, to: str) -> None:
        try:
            path = directory / _filename(report, fmt)
            _write(path, _content(report, fmt, to, self.planner.mail_from()))
        except Exception as exc:
            self.post_message(self.Exported(None, exc))
            return
        self.post_message(self.Exported(path, None))

    def on_report_preview_screen_exported(self, message: ReportPreviewScreen.Exported) -> None:
        if message.error is not None:
            self.log.error(repr(message.error))
            self.notify(error_text(message.error), title=_("Not written"), severity="error",
                        timeout=8)
            return
        self.exports += 1
        self.notify(_("Written: {path}").format(path=message.path), timeout=5)


def _filename(report: WeeklyReport, fmt: str) -> str:
    from planner.reports.output import default_filename

    return default_filename(report, fmt)


def _write(path: Path, content: bytes) -> None:
    from planner.reports.output import write_atomic

    write_atomic(path, content)


def _content(report: WeeklyReport, fmt: str, to: str, mail_from: str) -> bytes:
    """The PDF, or the email with the PDF attached (fpdf is imported here, in the worker)."""
    from planner.reports.pdf import render_pdf

    pdf = render_pdf(report)
    if fmt == "pdf":
        return pdf
    from planner.reports.eml import build_message, message_bytes, split_addresses

    msg = build_message(report, mail_from=mail_from, to=split_addresses([to]) or None,
                        attach_pdf=True, pdf=pdf)
    return message_bytes(msg)

