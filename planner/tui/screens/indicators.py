"""Indicators and their readings over time, each with the band it reaches; conditions to
confirm and survey or appraisal points to enter by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label, Static

from planner.domain.facts import CriterionRule
from planner.domain.scoring import band_points, indicator_value
from planner.i18n import _
from planner.services.indicators import IndicatorRow, list_indicators
from planner.services.tui_queries import PlanOverview
from planner.store.models import Reading
from planner.tui.format import clip, fmt_date, fmt_points
from planner.tui.literal import assemble, literal, safe
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.nav_table import NavTable


@dataclass(frozen=True)
class IndicatorsData:
    overview: PlanOverview
    indicators: list[IndicatorRow]


def _rules(rules: tuple[CriterionRule, ...]) -> Iterator[CriterionRule]:
    for rule in rules:
        yield rule
        yield from _rules(rule.children)


def _unit(value: float, unit: str) -> str:
    return fmt_points(value) + ("%" if unit == "percent" else "")


def reading_value(reading: Reading, unit: str) -> float | None:
    if reading.value is not None:
        return reading.value
    if reading.numerator is not None and reading.denominator:
        return reading.numerator * (100.0 if unit == "percent" else 1.0) / reading.denominator
    return None


class IndicatorsScreen(PlannerScreen):
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset((
        "add_reading", "judge", "correct_reading", "delete_reading"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_reading", _("Add reading"), id="indicators.add_reading"),
        Binding("e", "judge", _("Confirm / enter points"), id="indicators.judge"),
        Binding("f", "correct_reading", _("Fix a reading"), show=False,
                id="indicators.correct_reading"),
        Binding("x", "delete_reading", _("Delete reading"), show=False,
                id="indicators.delete_reading"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: IndicatorsData | None = None

    def compose_body(self) -> ComposeResult:
        yield Label(_("Indicators (a adds a reading to the highlighted one; f fixes, x deletes "
                      "the reading highlighted below)"), classes="section-title")
        yield NavTable(id="indicator-table")
        yield Static("", id="indicator-bands")
        yield NavTable(id="reading-table")
        yield Label(_("Conditions and points entered by hand (enter or e to confirm or enter)"),
                    classes="section-title")
        yield NavTable(id="judged-table")

    def on_mount(self) -> None:
        self.query_one("#indicator-table", NavTable).add_columns(
            _("Code"), _("Indicator"), _("Target"), _("Latest"), _("On"), _("Points"), _("Criteria"))
        self.query_one("#reading-table", NavTable).add_columns(
            _("Date"), _("Value"), _("Counts"), _("Band reached"), _("Source"))
        self.query_one("#judged-table", NavTable).add_columns(
            _("Code"), _("Criterion"), _("Method"), _("Current"), _("Secured"), _("Max"))
        self.query_one("#indicator-table", NavTable).focus()

    def fetch(self) -> IndicatorsData:
        overview = self.planner.store.overview()
        return IndicatorsData(overview, list_indicators(self.ctx, overview.as_of))

    # ------------------------------------------------------------------ showing

    def _rules_of(self, indicator: str) -> list[CriterionRule]:
        assert self.data is not None
        return [r for r in _rules(self.data.overview.facts.criteria)
                if r.method == "threshold" and r.indicator == indicator]

    def _points(self, row: IndicatorRow, value: float | None) -> str:
        if value is None:
            return "-"
        return ", ".join(
            f"{fmt_points(band_points(rule, value, row.direction))}/{fmt_points(rule.max_points)}"  # type: ignore[arg-type]
            for rule in self._rules_of(row.code)) or "-"

    def show(self, data: IndicatorsData) -> None:
        self.data = data
        overview = data.overview
        table = self.query_one("#indicator-table", NavTable)
        keep = table.selected_key()
        table.clear()
        for row in data.indicators:
            if row.computed:
                value, _reading = indicator_value(overview.facts, row.code, overview.as_of)
                latest, on_text = (_unit(value, row.unit) if value is not None else "-"), _("computed")
            else:
                readings = [r for r in row.readings if r.on <= overview.as_of]
                last = readings[-1] if readings else None
                value = reading_value(last, row.unit) if last else None
                latest = _unit(value, row.unit) if value is not None else "-"
                on_text = fmt_date(last.on) if last else "-"
            target = _unit(row.target, row.unit) if row.target is not None else "-"
            table.add_row(literal(row.code, style="bold"), literal(clip(row.name, 40)), target, latest,
                          on_text, self._points(row, value), literal(", ".join(row.criteria)),
                          key=row.code)
        table.move_to_key(keep)
        self._show_readings(table.selected_key())
        self._show_judged(overview)

    def _show_readings(self, code: str | None) -> None:
        table = self.query_one("#reading-table", NavTable)
        table.clear()
        bands = self.query_one("#indicator-bands", Static)
        if self.data is None or code is None:
            bands.update("")
            return
        row = next((r for r in self.data.indicators if r.code == code), None)
        if row is None:
            return
        sign = "≤" if row.direction == "lower" else "≥"
        lines: list[Text] = []
        for rule in self._rules_of(code):
            text = " · ".join(f"{sign}{fmt_points(b.bound)} → {fmt_points(b.points)}" for b in rule.bands)
            if rule.when_empty is not None:
                text += " · " + _("no case → {p}").format(p=fmt_points(rule.when_empty))
            most = _("max")
            lines.append(assemble((rule.code, "bold"), " ", clip(rule.title, 50),
                                  f": {text} ({most} {fmt_points(rule.max_points)})"))
        if row.computed:
            lines.append(Text(_("Computed from the plan (share of the work due that is done); it takes no readings.")))
        bands.update(Text("\n").join(lines) if lines else _("No criterion is scored by this indicator."))
        for reading in reversed(row.readings):
            value = reading_value(reading, row.unit)
            counts = ""
            if reading.numerator is not None and reading.denominator is not None:
                counts = f"{reading.numerator:g}/{reading.denominator:g}"
            if value is None:
                reached = ", ".join(fmt_points(r.when_empty) for r in self._rules_of(code)
                                    if r.when_empty is not None) or "-"
            else:
                reached = self._points(row, value)
            future = reading.on > self.data.overview.as_of
            date_text = fmt_date(reading.on) + (" *" if future else "")
            table.add_row(date_text, _unit(value, row.unit) if value is not None else "-", counts,
                          reached, literal(clip(reading.source, 40)), key=str(reading.id))

    def _show_judged(self, overview: PlanOverview) -> None:
        table = self.query_one("#judged-table", NavTable)
        keep = table.selected_key()
        table.clear()
        rules = {r.code: r for r in _rules(overview.facts.criteria)}
        confirmations = {c.criterion_code: c for c in overview.facts.confirmations if c.on <= overview.as_of}
        manual = {m.criterion_code: m for m in overview.facts.manual_entries if m.on <= overview.as_of}
        for node in overview.score.walk():
            if node.method not in ("condition", "manual"):
                continue
            rule = rules[node.code]
            if node.method == "condition":
                method = _("condition")
                found = confirmations.get(node.code)
                label = next((o.label for o in rule.outcomes if found and o.key == found.outcome), "")
                current = f"{safe(label)} ({fmt_date(found.on)})" if found else _("not confirmed")
            else:
                method = _("by hand")
                entry = manual.get(node.code)
                current = f"{fmt_points(entry.points)} ({fmt_date(entry.on)})" if entry else _("not entered")
            table.add_row(literal(node.code, style="bold"), literal(clip(node.title, 46)), method,
                          literal(current),
                          fmt_points(node.secured), fmt_points(node.max_points), key=node.code)
        table.move_to_key(keep)

    @on(DataTable.RowHighlighted, "#indicator-table")
    def _indicator_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_readings(event.row_key.value)

    # ------------------------------------------------------------------ actions

    def action_add_reading(self) -> None:
        from planner.tui.screens.indicator_dialogs import ReadingDialog

        code = self.query_one("#indicator-table", NavTable).selected_key()
        row = next((r for r in self.data.indicators if r.code == code), None) if self.data else None
        if row is None:
            return
        if row.computed:
            self.notify(_("Indicator {code} is computed from the plan; it takes no readings.").format(
                code=row.code), severity="warning")
            return
        self.app.push_screen(ReadingDialog(self.ctx, row.code, row.name))

    def _selected_reading(self) -> tuple[IndicatorRow, Reading] | None:
        """The reading under the cursor of the readings table (of the highlighted indicator)."""
        if self.data is None:
            return None
        code = self.query_one("#indicator-table", NavTable).selected_key()
        row = next((r for r in self.data.indicators if r.code == code), None)
        key = self.query_one("#reading-table", NavTable).selected_key()
        reading = next((r for r in row.readings if str(r.id) == key), None) if row else None
        if row is None or reading is None:
            self.notify(_("Choose an indicator with readings, then the reading (tab moves to the "
                          "readings)."), severity="warning")
            return None
        return row, reading

    def action_correct_reading(self) -> None:
        from planner.tui.screens.undo_dialogs import CorrectReadingDialog

        found = self._selected_reading()
        if found is None:
            return
        row, reading = found
        if reading.numerator is not None and reading.denominator is not None:
            typed = f"{reading.numerator:g}/{reading.denominator:g}"
        else:
            typed = f"{reading.value:g}" if reading.value is not None else ""
        self.app.push_screen(CorrectReadingDialog(
            self.ctx, reading.id or 0, reading.version, row.code, typed, fmt_date(reading.on),
            reading.source))

    def action_delete_reading(self) -> None:
        from planner.tui.screens.undo_dialogs import DeleteReadingDialog

        found = self._selected_reading()
        if found is None:
            return
        row, reading = found
        value = reading_value(reading, row.unit)
        described = f"{fmt_date(reading.on)}, " + (_unit(value, row.unit) if value is not None else "-")
        self.app.push_screen(DeleteReadingDialog(self.ctx, reading.id or 0, reading.version,
                                                 row.code, described))

    @on(DataTable.RowSelected, "#judged-table")
    def action_judge(self) -> None:
        from planner.tui.screens.indicator_dialogs import ConfirmDialog, ManualDialog

        if self.data is None:
            return
        code = self.query_one("#judged-table", NavTable).selected_key()
        rule = next((r for r in _rules(self.data.overview.facts.criteria) if r.code == code), None)
        if rule is None:
            return
        dialog = ConfirmDialog(self.ctx, rule) if rule.method == "condition" else ManualDialog(self.ctx, rule)
        self.app.push_screen(dialog)
