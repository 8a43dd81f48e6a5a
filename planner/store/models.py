"""The tables of a planner database (SQLModel).

Dates that matter to scoring are business dates (`*_on`), set by the person recording the
fact; timestamps (`*_at`) say when the row was written. Text is stored in NFC; columns named
`*_folded` hold the accent-free lower-case form used by search.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ConfigDict
from sqlalchemy import Column, Integer, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


class _Table(SQLModel):
    """The base of every table. Pydantic builds a model's validator when one is first needed,
    not when the class is defined: planner writes rows through SQLAlchemy and never validates
    them with pydantic, and defining the tables is 40 ms faster (the start of every command)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


def _version_column() -> Column[int]:
    """A row version checked on every UPDATE, so a concurrent edit raises StaleDataError."""
    return Column("version", Integer, nullable=False, default=1)


class Plan(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True, index=True)
    title: str
    number: str = ""
    issued_on: date | None = None
    agency: str = ""
    parent_agency: str = ""
    place: str = ""
    index_name: str = ""
    starts_on: date
    ends_on: date
    # The self-assessment cut-off: after it nothing more can be won (DESIGN.md "The numbers").
    # None means the plan closes when it ends.
    closes_on: date | None = None
    baseline_year: int | None = None
    baseline_score: float | None = None
    baseline_max: float | None = None
    baseline_rank: int | None = None
    baseline_of: int | None = None
    target_score: float | None = None
    demo_as_of: date | None = None
    survey_fields: str = "8"  # root criteria codes scored by surveys, comma-separated


_V_OFFICE = _version_column()


class Office(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    aliases: str = ""  # one alias per line
    head_name: str = ""
    head_title: str = ""
    email: str = ""
    parent_id: int | None = Field(default=None, foreign_key="office.id")
    position: int = 0
    version: int = Field(default=1, sa_column=_V_OFFICE)

    __mapper_args__ = {"version_id_col": _V_OFFICE}


class Indicator(_Table, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str
    name: str
    unit: str = "percent"
    direction: str = "higher"
    target: float | None = None
    computed: str | None = None


class Criterion(_Table, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="criterion.id")
    code: str
    title: str
    title_en: str = ""
    max_points: float
    method: str = "sum"
    params: str = "{}"  # JSON: late_factor, mode, bands, when_empty, outcomes, expected...
    indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    lead_office_id: int | None = Field(default=None, foreign_key="office.id")
    position: int = 0
    guidance: str = ""  # the index's scoring guidance, as published ("100%: 1 điểm; …")
    applicable: bool = True  # False: not applicable to this unit, its points leave the total


_V_TASK = _version_column()


class Task(_Table, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str
    title: str
    title_folded: str = Field(default="", index=True)
    description: str = ""
    product: str = ""
    lead_office_id: int = Field(foreign_key="office.id", index=True)
    start_on: date | None = None
    due_on: date | None = Field(default=None, index=True)
    deadline_text: str = ""
    section: str = ""  # the appendix section it sits under ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH")
    continuous: bool = False
    recurrence: str | None = None
    status: str = "not_started"
    progress: int = 0
    done_on: date | None = None
    position: int = 0
    # Working days of work the task needs, when someone estimated it: refines the ranking of
    # the tasks that matter most (planner.domain.focus).
    effort_days: float | None = None
    version: int = Field(default=1, sa_column=_V_TASK)

    __mapper_args__ = {"version_id_col": _V_TASK}


class TaskSupport(_Table, table=True):
    __tablename__ = "task_support"
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    office_id: int = Field(foreign_key="office.id", primary_key=True, index=True)


class TaskCriterion(_Table, table=True):
    __tablename__ = "task_criterion"
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    criterion_id: int = Field(foreign_key="criterion.id", primary_key=True, index=True)
    weight: float = 1.0


_V_OCCURRENCE = _version_column()


class Occurrence(_Table, table=True):
    """One dated occurrence of a recurring task (a non-recurring task is its own occurrence)."""

    __table_args__ = (UniqueConstraint("task_id", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    due_on: date
    status: str = "not_started"
    progress: int = 0
    done_on: date | None = None
    version: int = Field(default=1, sa_column=_V_OCCURRENCE)

    __mapper_args__ = {"version_id_col": _V_OCCURRENCE}


class StatusEvent(_Table, table=True):
    __tablename__ = "status_event"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id", index=True)
    status: str
    progress: int | None = None
    on: date
    at: datetime
    by: str = ""
    note: str = ""


class Blob(_Table, table=True):
    """An attached file, stored once per content (SHA-256)."""

    sha256: str = Field(primary_key=True)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


_V_EVIDENCE = _version_column()


class Evidence(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id", index=True)
    criterion_id: int | None = Field(default=None, foreign_key="criterion.id", index=True)
    kind: str  # document | file | link | note
    title: str = ""
    doc_number: str = ""
    doc_date: date | None = None
    issuer: str = ""
    blob_sha256: str | None = Field(default=None, foreign_key="blob.sha256")
    filename: str = ""
    url: str = ""
    note: str = ""
    submitted_by: str = ""
    submitted_at: datetime
    submitted_on: date
    state: str = "submitted"  # submitted | accepted | rejected | withdrawn
    reviewed_by: str = ""
    reviewed_at: datetime | None = None
    reviewed_on: date | None = None
    reason: str = ""
    # The last day the evidence is valid (a regulation superseded, a certificate's term);
    # None: valid for good. From the next day it no longer counts (DESIGN "The numbers").
    valid_until: date | None = None
    version: int = Field(default=1, sa_column=_V_EVIDENCE)

    __mapper_args__ = {"version_id_col": _V_EVIDENCE}


class EvidenceReview(_Table, table=True):
    """One dated review decision on a piece of evidence: accepted, rejected, or taken back
    (state "submitted": awaiting review again). Scoring as of D reads the latest on or
    before D; `evidence.state` and `reviewed_*` hold the current one."""

    __tablename__ = "evidence_review"
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    state: str  # accepted | rejected | submitted
    on: date
    at: datetime
    by: str = ""
    reason: str = ""


_V_READING = _version_column()


class Reading(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    on: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    source: str = ""
    recorded_by: str = ""
    recorded_at: datetime
    version: int = Field(default=1, sa_column=_V_READING)

    __mapper_args__ = {"version_id_col": _V_READING}


class Confirmation(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    outcome: str
    on: date
    note: str = ""
    by: str = ""
    at: datetime


class ManualEntry(_Table, table=True):
    __tablename__ = "manual_entry"
    id: int | None = Field(default=None, primary_key=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    points: float
    percent: float | None = None
    on: date
    note: str = ""
    by: str = ""
    at: datetime


class User(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, index=True)
    name: str = ""
    office_id: int | None = Field(default=None, foreign_key="office.id")
    role: str = "viewer"  # coordinator | office_member | viewer
    # PostgreSQL: the login role the server authenticates this person as (None on SQLite,
    # where the operating-system account is the identity).
    db_role: str | None = Field(default=None, unique=True)


class ChangeLog(_Table, table=True):
    """Append-only record of every change, chained by hash for tamper evidence."""

    __tablename__ = "change_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str  # whose rights were used
    real_actor: str = ""  # the person who acted, when they acted as `actor` (else empty)
    action: str
    entity: str
    entity_id: str
    label: str = ""  # a human key: task code, evidence id, office code
    plan_id: int | None = Field(default=None, index=True)
    task_id: int | None = Field(default=None, index=True)
    before: str = ""  # JSON
    after: str = ""  # JSON
    # The rows this change wrote, as {table: {key: image or digest or null}}: what
    # `planner check` compares every row of the database with (see planner/store/rowlog.py).
    rows: str = ""
    prev_hash: str = ""
    hash: str = ""


class Meta(_Table, table=True):
    key: str = Field(primary_key=True)
    value: str = ""


class ReminderSent(_Table, table=True):
    """A deadline or expiry reminder delivered to an office: what `report due --send` has done.

    A reminder is keyed by what it is about (the occurrence, `kind` deadline or expiry), the
    date it is about (`due_on`: the deadline, or the last day evidence is valid) and the
    threshold it answers (7, 3, 1 working days before; 0 once passed). A moved deadline is a
    new key, so its reminders are due again; a key already here is never sent twice.
    """

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("plan_id", "office_id", "occurrence_key", "kind", "due_on", "threshold"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    office_id: int = Field(foreign_key="office.id")
    occurrence_key: str
    kind: str = "deadline"  # deadline | expiry
    due_on: date
    threshold: int
    sent_on: date  # the as-of date of the run that sent it
    sent_at: datetime


class RankingEntry(_Table, table=True):
    """One unit's line of a published ranking (the city's ranking of its departments for a
    year), imported for a plan: what the what-if estimates its rank against.

    `part` says what the scores are of: the appraised points ("appraised") or the whole index
    ("all"); `max_points` is the maximum the table states, when it states one. `rank` is the
    published rank, or computed from the scores (ties share a rank) when the table has none.
    Exactly one row of a year is `ours`: the plan's own unit."""

    __tablename__ = "ranking_entry"
    __table_args__ = (UniqueConstraint("plan_id", "year", "unit_folded"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    year: int
    unit: str
    unit_folded: str = ""
    score: float
    rank: int
    part: str = "appraised"  # appraised | all
    max_points: float | None = None
    ours: bool = False
    position: int = 0
