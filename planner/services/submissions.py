"""A periodic report recorded as the task occurrence it fulfils.

The periodic reform reports are tasks of the plan themselves (criterion 1.2.1, mode `all`).
When the coordinator produces one and says so, the occurrence is marked done on the report's
date and the document is attached to it as submitted evidence, to be reviewed like any other,
both in one transaction: either both are recorded or neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.i18n import _
from planner.services import permissions
from planner.services.context import Context
from planner.services.evidence import EvidenceInput, submit
from planner.services.plans import get_plan
from planner.services.tasks import change_status


@dataclass(frozen=True)
class Recorded:
    key: str
    evidence_id: int
    done_on: date


def record_report(ctx: Context, key: str, *, on: date, content: bytes, filename: str,
                  title: str, doc_number: str = "", issuer: str = "") -> Recorded:
    """Mark occurrence `key` done on `on` and attach the report's file to it as evidence (a
    document with its number when it has one, else a file), submitted by the coordinator."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        permissions.require_coordinator(session, ctx, _("recording a periodic report"))
        change_status(session, ctx, plan, key, "done", on=on.isoformat(),
                      note=_("Report produced by planner: {file}").format(file=filename))
        evidence = submit(session, ctx, plan, key, EvidenceInput(
            doc_number=doc_number, doc_date=on.isoformat() if doc_number else "",
            issuer=issuer if doc_number else "", title=title, on=on.isoformat()), content, filename)
        return Recorded(key.strip(), evidence.id or 0, on)
