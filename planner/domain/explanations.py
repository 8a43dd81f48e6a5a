"""The words of `planner explain`: dates, numbers, bands and occurrences as lines of text.

Only the explained roll-up (`score_plan(..., explain=True)`) calls these; the figures never
depend on them. The words are in the current language (`planner.i18n`): the templates that
recur per occurrence are looked up once per language (`words()`), the others where they are
used, once per criterion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from planner.domain.dates import listing
from planner.domain.facts import CriterionRule, Direction, EvidenceFact, Reading
from planner.domain.indicators import best_band
from planner.domain.occurrences import Resolved, review_as_of
from planner.domain.results import Explanation, Part
from planner.i18n import _, current_language, ngettext

_DATE_TEXT: dict[date, str] = {}


class Words:
    """The words that recur in explanation lines, looked up in the catalog once per language:
    lines are made per occurrence, and formatting a template looked up once costs less than a
    catalog lookup per line."""

    def __init__(self) -> None:
        # The task list's and the evidence list's words, so the catalog has one term for each.
        self.status = {
            "not_started": _("not started"),
            "in_progress": _("in progress"),
            "done": _("done"),
            "paused": _("paused"),
            "cancelled": _("cancelled"),
            "overdue": _("overdue"),
        }
        self.evidence = {
            "none": _("none"),
            # Translators: evidence submitted, not yet reviewed, as in "evidence {evidence}".
            "submitted": _("submitted"),
            "accepted": _("accepted"),
            "rejected": _("rejected"),
            # Translators: accepted evidence whose validity has ended.
            "expired": _("expired"),
        }
        # Translators: {status} is a task status ("done"), {done} the date it was done.
        self.occurrence_done = _("{status} {done}, due {due}, evidence {evidence}: {why}")
        self.occurrence = _("{status}, due {due}, evidence {evidence}: {why}")
        # Per occurrence in mode `all`.
        self.all_late = _("late: every occurrence must be on time, the whole maximum is lost")
        self.all_lost = _("lost with the rest: {occurrence} is late")
        self.all_secured = _("on time, secured with the rest")
        self.all_rejected = _(
            "evidence rejected with nothing pending: the whole maximum is at risk"
        )
        self.all_missing = _(
            "no evidence submitted by the due date: the whole maximum is at risk"
        )
        self.all_at_risk = _("at risk with the rest: evidence of {occurrence} rejected")
        self.all_expired = _(
            "evidence expired with nothing pending: the whole maximum is at risk"
        )
        self.all_at_risk_expired = _("at risk with the rest: evidence of {occurrence} expired")
        self.all_open_done = _(
            "on time, open until every occurrence is done on time and accepted"
        )
        self.all_open_not_due = _(
            "not yet due, open until every occurrence is done on time and accepted"
        )
        # Per link or per piece of evidence.
        self.supporting = _(
            "supporting task, earns nothing itself ({done} of {count} occurrences done)"
        )
        self.no_occurrence = _("linked task has no occurrence")
        self.link_weight = _("link weight {weight}: not counted")
        self.cancelled = _("cancelled: its share goes to the other occurrences")
        # Translators: the subject of a line about a piece of evidence ("T15 evidence #14").
        self.evidence_subject = _("{occurrence} evidence #{id}")
        # Translators: {reason} is the reviewer's reason, as typed.
        self.rejected = _("rejected {date}: {reason}")
        self.no_reason = _("no reason given")
        # Translators: {date} the first day it no longer counts, {until} its last valid day.
        self.expired = _("expired on {date} (valid until {until}): new evidence is needed")
        self.expires_after_close = _(
            "valid until {until}, after the plan closed: counted as secured at the close"
        )
        self.submitted_after_close = _("submitted {date}, after the plan closed: not counted")
        self.accepted_after_close = _("accepted {date}, after the plan closed: not counted")


_WORDS: dict[str, Words] = {}


def words() -> Words:
    """The explanation words of the current language."""
    language = current_language()
    found = _WORDS.get(language)
    if found is None:
        found = _WORDS[language] = Words()
    return found


def status_word(status: str) -> str:
    """A status (`in_progress`) as users read it in the current language (`in progress`)."""
    return words().status.get(status, status)


def evidence_word(state: str) -> str:
    """The state of an occurrence's evidence (`none`, `submitted`, `accepted`, `rejected`) as
    users read it in the current language."""
    return words().evidence.get(state, state)


def method_label(method: str) -> str:
    """A scoring method as users read it ("indicator bands", not `threshold`)."""
    labels = {
        "sum": _("sum of its children"),
        "tasks": _("delivery of its tasks"),
        "threshold": _("indicator against bands"),
        "condition": _("condition confirmed with evidence"),
        "manual": _("points entered by hand"),
    }
    return labels.get(method, method)


def child_part(part: str, title: str) -> str:
    """The rule text of a parent's line carrying one part of a child's points."""
    if part == "secured":
        return _("secured in {criterion}").format(criterion=title)
    if part == "at_risk":
        return _("at risk in {criterion}").format(criterion=title)
    if part == "lost":
        return _("lost in {criterion}").format(criterion=title)
    return _("open in {criterion}").format(criterion=title)


def percent(fraction: float) -> str:
    """A share as a percentage with at most two decimals (25%, 33,33% in Vietnamese)."""
    return f"{n(fraction * 100)}%"


def evidence_notes(
    evidence: Iterable[EvidenceFact], on: date, as_of: date, said: Words
) -> Iterator[tuple[int, str]]:
    """(evidence id, why) for the evidence a reader of `explain` needs beside the occurrence's
    line: each rejection standing on `on` with its reason, each expiry by `on` with its date,
    and what came between the plan's
    closing (`on` < `as_of`) and the as-of date. Evidence submitted after the as-of date and
    withdrawn evidence are not shown."""
    for ev in evidence:
        if ev.submitted_on > as_of:
            continue
        if ev.withdrawn_on is not None and ev.withdrawn_on <= on:
            continue
        if ev.submitted_on > on:
            yield ev.id, said.submitted_after_close.format(date=d(ev.submitted_on))
            continue
        standing = review_as_of(ev, on)
        valid_until = ev.valid_until
        if standing.state == "accepted" and valid_until is not None and valid_until < on:
            yield ev.id, said.expired.format(
                date=d(valid_until + timedelta(days=1)), until=d(valid_until)
            )
        elif (
            standing.state == "accepted"
            and valid_until is not None
            and on < as_of
            and valid_until < as_of
        ):
            # Expired after the plan's closing date: what was secured then stays secured.
            yield ev.id, said.expires_after_close.format(until=d(valid_until))
        elif standing.state == "rejected" and standing.on is not None:
            yield ev.id, said.rejected.format(
                date=d(standing.on), reason=standing.reason.strip() or said.no_reason
            )
        elif standing.state == "submitted" and on < as_of:
            later = review_as_of(ev, as_of)
            if later.state == "accepted" and later.on is not None and on < later.on:
                yield ev.id, said.accepted_after_close.format(date=d(later.on))


def d(day: date) -> str:
    """A date as users write it (dd/mm/yyyy); cached, the same dates recur thousands of times."""
    text = _DATE_TEXT.get(day)
    if text is None:
        text = listing(day)
        if len(_DATE_TEXT) < 10_000:
            _DATE_TEXT[day] = text
    return text


def n(value: float) -> str:
    """A number with at most two decimals and no trailing zeros (82.35, 0.5, 3); Vietnamese
    writes the decimal comma (82,35)."""
    text = f"{round(value, 2):g}"
    return text.replace(".", ",") if current_language() == "vi" else text


def pts(value: float) -> str:
    """`n(value)` points (1 point, 0.5 points)."""
    return ngettext("{points} point", "{points} points", 1 if value == 1 else 2).format(
        points=n(value)
    )


def reading_text(reading: Reading, value: float, unit: str) -> str:
    """A reading as a reader can check it: 980/1000 = 98%, or the value alone."""
    shown = f"{n(value)}%" if unit == "percent" else n(value)
    if reading.numerator is not None and reading.denominator is not None:
        return f"{n(reading.numerator)}/{n(reading.denominator)} = {shown}"
    return shown


def band_text(
    rule: CriterionRule, value: float, direction: Direction, shown: str | None = None
) -> str:
    """The band a value reaches; `shown` is how the value is written (`reading_text`)."""
    band = best_band(rule, value, direction)
    reading = shown if shown is not None else n(value)
    if band is None or band.points <= 0:
        return _("{reading}: no band reached: 0 points").format(reading=reading)
    op = "≤" if direction == "lower" else "≥"
    return _("{reading}: band {op} {bound}: {points}").format(
        reading=reading, op=op, bound=n(band.bound), points=pts(band.points)
    )


def occurrence_rule(state: Resolved, reason: str, said: Words | None = None) -> str:
    """The explanation text of an occurrence: status, dates, evidence, and why."""
    w = said or words()
    status = w.status.get(state.status, state.status)
    evidence = w.evidence.get(state.evidence, state.evidence)
    due = d(state.due_on)
    if state.done_on is not None:
        return w.occurrence_done.format(
            status=status, done=d(state.done_on), due=due, evidence=evidence, why=reason
        )
    return w.occurrence.format(status=status, due=due, evidence=evidence, why=reason)


_new = object.__new__
_set = object.__setattr__


def line(
    subject: str, rule: str, weight: float | None, points: float, part: Part, counted: bool = True
) -> Explanation:
    """Explanation(...) without the frozen dataclass's per-field `object.__setattr__` calls:
    there is a line per occurrence per link, and this halves their cost (1.2 us -> 0.55 us)."""
    made = _new(Explanation)
    _set(
        made,
        "__dict__",
        {
            "subject": subject,
            "rule": rule,
            "weight": weight,
            "points": points,
            "part": part,
            "counted": counted,
        },
    )
    return made
