"""Read-only queries for the terminal UI: everything its screens show, loaded once per change.

The dashboard, criteria tree, task list and offices board all derive from the same facts; at
10,000 tasks loading them costs most of a second, so `plan_overview` loads them once and
computes the score, the task rows and the board from that single load, instead of calling
`plan_score`, `list_tasks` and `board` one after another (three loads of the same facts).

Everything here reads through the Core tables (`planner.store.tables`): the terminal UI shows
its first screen without importing SQLModel, pydantic and the ORM (a quarter of a second),
which it imports in the background once the dashboard is up.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Row

from planner.domain.accountability import OfficeRecord, office_board
from planner.domain.facts import PlanFacts
from planner.domain.ranking import Ranking
from planner.domain.schedule import occurrence_key
from planner.domain.scoring import PlanScore, rescore, score_plan, with_task
from planner.domain.text import fold
from planner.services.context import Context
from planner.services.evidence_rows import EvidenceRow, evidence_rows
from planner.services.facts import PlanRecord, load_facts, load_occurrences, task_links
from planner.services.plans import has_plan as plan_exists
from planner.services.plans import plan_record
from planner.services.ranking import load_ranking
from planner.services.task_rows import TaskRow, build_rows, rows_from_facts
from planner.store import tables as t
from planner.store.rows import fetch


@dataclass(frozen=True)
class PlanRows:
    """The task rows of the plan as of a date: what the task list needs, loaded first."""

    plan: Row[Any]  # a row of tables.plan: the Plan model's attributes
    as_of: date
    facts: PlanFacts
    rows: list[TaskRow]
    # Folded (lower case, no diacritics) "key title" of each row, in the order of `rows`, from
    # the stored folded titles: folding 15,000 titles again on every load costs 0.25 s.
    search_keys: list[str]
    offices: list[Row[Any]]  # rows of tables.office, in the board's order
    #: The change log's last entry when this was read (`refreshed_overview` starts there).
    log_position: int

    def criterion_codes(self) -> list[str]:
        """Every criterion code of the plan, parents before their children."""
        codes: list[str] = []
        stack = list(reversed(self.facts.criteria))
        while stack:
            node = stack.pop()
            codes.append(node.code)
            stack.extend(reversed(node.children))
        return codes


@dataclass(frozen=True)
class PlanOverview(PlanRows):
    """One consistent reading of the plan as of a date: the rows, the score and the board."""

    score: PlanScore
    board: list[OfficeRecord]
    submitted: list[EvidenceRow]
    # The published ranking of the baseline year, for the what-if's rank estimate (None: no
    # ranking data).
    ranking: Ranking | None = None


def has_plan(ctx: Context) -> bool:
    """Whether the database holds a plan the context can open (the welcome screen asks)."""
    with ctx.db.reading() as conn:
        return plan_exists(conn, ctx.plan_year)


def plan_overview(ctx: Context, as_of: date | None = None) -> PlanOverview:
    return complete_overview(ctx, plan_rows(ctx, as_of))


def plan_rows(ctx: Context, as_of: date | None = None) -> PlanRows:
    """The first half of an overview: facts and task rows (about half the time at 10,000)."""
    day = as_of or ctx.today
    task, office = t.task.c, t.office.c
    with ctx.db.reading() as conn:
        position = _log_position(conn)
        plan = plan_record(conn, ctx.plan_year)
        facts = load_facts(conn, plan)
        progress = progress_by_key(conn, plan)
        folded: dict[str, str] = dict(fetch(conn,
                            sa_select(task.code, task.title_folded).where(task.plan_id == plan.id)))
        offices = list(conn.execute(sa_select(t.office).order_by(office.position, office.id)))
    rows = rows_from_facts(facts, day, progress, ctx.today)
    # A row written without its folded title (an older import) is folded here instead.
    search_keys = [f"{r.key.lower()} {folded.get(r.task_code) or fold(r.title)}" for r in rows]
    return PlanRows(plan, day, facts, rows, search_keys, offices, position)


def complete_overview(ctx: Context, rows: PlanRows) -> PlanOverview:
    """The second half: the score, the offices board and the evidence awaiting review."""
    with ctx.db.reading() as conn:
        # What awaited review on the overview's date (the TUI can show an earlier week).
        submitted = evidence_rows(conn, rows.plan, awaiting_on=rows.as_of)
        ranking = load_ranking(conn, rows.plan)
    score = score_plan(rows.facts, rows.as_of)
    board = office_board(rows.facts, score, rows.as_of, [o.code for o in rows.offices])
    return PlanOverview(rows.plan, rows.as_of, rows.facts, rows.rows, rows.search_keys, rows.offices,
                        rows.log_position, score, board, submitted, ranking)


#: Beyond this many tasks changed at once, loading everything again is as quick.
MOST_TASKS_REFRESHED = 25


def refreshed_overview(ctx: Context, old: PlanOverview) -> PlanOverview | None:
    """The overview after the changes written since `old` was read, reading again only the
    tasks they touched and re-scoring only the criteria those reach (`rescore`): at 10,000
    tasks a status change costs a few tens of milliseconds instead of a whole load.

    The change log says what changed. None (load everything) when nothing was logged (a
    reload asked for by hand re-reads everything), when a change reaches beyond tasks and
    their evidence (criteria, readings, offices, users, an undo, a restore...), or when many
    tasks changed. The result equals a fresh `plan_overview` of the same date
    (tests/tui/test_refresh.py)."""
    with ctx.db.reading() as conn:
        position = _log_position(conn)
        changed = _changed_tasks(conn, old, position)
        if changed is None:
            return None
        codes, evidence_changed = changed
        plan = old.plan
        facts = old.facts
        occurrences_by_task = {}
        for code in sorted(codes):
            occurrences, task_ids = load_occurrences(conn, plan, where=[t.task.c.code == code])
            facts = with_task(facts, code, occurrences, task_links(conn, plan, task_ids))
            occurrences_by_task[code] = occurrences
        progress = progress_by_key(conn, plan, codes)
        folded: dict[str, str] = dict(fetch(conn,
            sa_select(t.task.c.code, t.task.c.title_folded)
            .where(t.task.c.plan_id == plan.id, t.task.c.code.in_(codes))))
        submitted = (evidence_rows(conn, plan, awaiting_on=old.as_of) if evidence_changed
                     else old.submitted)
    rows, keys = list(old.rows), list(old.search_keys)
    crit_by_task: dict[str, list[str]] = {}
    for link in facts.links:
        if link.task_code in codes:
            crit_by_task.setdefault(link.task_code, []).append(link.criterion_code)
    for code in sorted(codes):
        new_rows = build_rows(occurrences_by_task[code], crit_by_task, old.as_of, progress,
                              ctx.today)
        where = [i for i, row in enumerate(rows) if row.task_code == code]
        new_keys = [f"{r.key.lower()} {folded.get(code) or fold(r.title)}" for r in new_rows]
        at = where[0] if where else len(rows)
        for i in reversed(where):
            del rows[i], keys[i]
        rows[at:at] = new_rows
        keys[at:at] = new_keys
    score = rescore(old.score, facts, codes, old.as_of)
    board = office_board(facts, score, old.as_of, [o.code for o in old.offices])
    return PlanOverview(plan, old.as_of, facts, rows, keys, old.offices, position, score, board,
                        submitted, old.ranking)


def _log_position(conn: Connection) -> int:
    return int(conn.execute(sa_select(func.max(t.change_log.c.id))).scalar() or 0)


def _changed_tasks(conn: Connection, old: PlanRows, position: int) -> tuple[set[str], bool] | None:
    """The codes of the tasks the changes logged after `old` was read touched, and whether
    evidence may have changed (a piece added, reviewed, a task deleted); None when a change
    reaches beyond tasks and their evidence (or there is none, or too many)."""
    log = t.change_log.c
    entries = conn.execute(
        sa_select(log.action, log.entity, log.label, log.plan_id, log.task_id)
        .where(log.id > old.log_position, log.id <= position).order_by(log.id)
    ).all()
    if not entries:
        return None
    codes: set[str] = set()
    task_ids: set[int] = set()
    evidence = False
    for action, entity, label, plan_id, task_id in entries:
        if action == "reminder.sent":
            continue  # nothing a screen shows
        if not action.startswith(("task.", "evidence.")) or plan_id != old.plan.id:
            return None
        evidence = evidence or action.startswith("evidence.") or action == "task.delete"
        if entity in ("task", "occurrence") and label:
            codes.add(label.split("@", 1)[0])
        elif task_id is not None:
            task_ids.add(task_id)
        else:
            return None
    if task_ids:
        found = dict(conn.execute(
            sa_select(t.task.c.id, t.task.c.code).where(t.task.c.id.in_(task_ids))).all())
        if len(found) != len(task_ids):
            return None
        codes.update(found.values())
    return (codes, evidence) if len(codes) <= MOST_TASKS_REFRESHED else None


def progress_by_key(
    conn: Connection, plan: PlanRecord, codes: Collection[str] | None = None
) -> dict[str, int]:
    """The progress % of every task and occurrence of the plan (or of the tasks `codes`), by
    occurrence key."""
    out: dict[str, int] = {}
    task, occurrence = t.task.c, t.occurrence.c
    where = [task.plan_id == plan.id]
    if codes is not None:
        where.append(task.code.in_(codes))
    for code, progress in fetch(conn, sa_select(task.code, task.progress).where(*where)):
        out[code] = progress
    for code, due, progress in fetch(conn,
        sa_select(task.code, occurrence.due_on, occurrence.progress)
        .join(t.task, task.id == occurrence.task_id)
        .where(*where)
    ):
        out[occurrence_key(code, due)] = progress
    return out
