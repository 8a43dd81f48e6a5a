"""`planner evidence …`: submit, list, fetch and review completion evidence."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli.common import (
    RECORD_ID,
    emit_json,
    fmt_date,
    force_date_option,
    format_option,
    out,
    render_table,
    state,
    warn,
)
from planner.i18n import _


def _state_choice(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A review state as its code or in the words the lists show ("awaiting review", "chờ duyệt")."""
    if value is None:
        return None
    from planner.services.vocabulary import STATE_WORDS, code_from_words, state_label

    code = code_from_words(value, STATE_WORDS)
    if code is None:
        raise click.BadParameter(_('unknown state "{state}" (one of: {choices}).').format(
            state=value, choices=", ".join(state_label(s) for s in STATE_WORDS)))
    return code


@click.group("evidence", help=_("Completion evidence: add, list, show, get, accept, reject, reopen, withdraw."))
def evidence_group() -> None:
    pass


@evidence_group.command("add", help=_("Add evidence to a task (CODE or CODE@DATE) or a criterion (1.1.3)."))
@click.argument("target", metavar="CODE")
@click.option("--doc", "doc_number", default="", metavar="NUMBER", help=_("Official document number, e.g. 123/QĐ-SGDĐT."))
@click.option("--date", "doc_date", default="", metavar="DATE", help=_("Date of the document."))
@click.option("--issuer", default="", help=_("Who issued the document."))
@click.option("--title", default="", help=_("What the document or file is."))
@click.option("--file", "file_path", type=click.Path(path_type=Path, dir_okay=False), help=_("A file to attach (stored in the database)."))
@click.option("--url", default="", help=_("A link."))
@click.option("--note", default="", help=_("A note."))
@click.option("--on", metavar="DATE", help=_("Submission date (default today)."))
@click.option("--valid-until", "valid_until", default="", metavar="DATE",
              help=_("Last day the evidence is valid (a certificate's term, a superseded regulation); "
                     "after it the task needs new evidence."))
@force_date_option
def evidence_add(target: str, doc_number: str, doc_date: str, issuer: str, title: str,
                 file_path: Path | None, url: str, note: str, on: str | None, valid_until: str,
                 force: bool) -> None:
    from planner.services.evidence import EvidenceInput, add_evidence

    ctx = state().context()
    ev = add_evidence(ctx, target, EvidenceInput(doc_number=doc_number, doc_date=doc_date, issuer=issuer,
                                                 title=title, file=file_path, url=url, note=note, on=on,
                                                 force=force, valid_until=valid_until))
    out(str(ev.id))
    warn(_("Evidence {id} submitted for {target}; it awaits review.").format(id=ev.id, target=target))


@evidence_group.command("edit", help=_("Change evidence: its validity end (--valid-until DATE, or none)."))
@click.argument("evidence_id", type=int)
@click.option("--valid-until", "valid_until", required=True, metavar="DATE",
              help=_("Last day the evidence is valid; 'none' removes the end."))
@click.option("--if-version", type=int, metavar="N",
              help=_("Refuse (exit 3) unless the evidence is still at version N."))
def evidence_edit(evidence_id: int, valid_until: str, if_version: int | None) -> None:
    from planner.services.evidence import set_validity

    ctx = state().context()
    ev = set_validity(ctx, evidence_id, valid_until, expected_version=if_version)
    if ev.valid_until is None:
        warn(_("Evidence {id}: valid with no end.").format(id=ev.id))
    else:
        warn(_("Evidence {id}: valid until {date}.").format(id=ev.id, date=fmt_date(ev.valid_until)))


@evidence_group.command("list", help=_("List evidence."))
@click.option("--task", "target", metavar="CODE", help=_("Of one task, occurrence or criterion."))
@click.option("--state", "state_name", metavar="STATE", callback=_state_choice,
              help=_("awaiting review (submitted), accepted, rejected or withdrawn."))
@click.option("--office", metavar="CODE", help=_("Of tasks this office leads."))
@format_option("table", "json")
def evidence_list(target: str | None, state_name: str | None, office: str | None, fmt: str) -> None:
    from planner.services.evidence import list_evidence

    ctx = state().context()
    rows = list_evidence(ctx, target=target, state=state_name, office=office)
    if fmt == "json":
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        warn(_("No evidence matches."))
        return
    out(render_table(
        ["#", _("For"), _("Kind"), _("Document / file / link"), _("Submitted"), _("State"), _("Reason")],
        [[str(r.id), target_label(r.target), kind_label(r.kind), _what(r), f"{fmt_date(r.submitted_on)} {r.submitted_by}",
          _state_text(r), r.reason] for r in rows],
        flex=3, right=[0]))


def target_label(target: str) -> str:
    from planner.services.vocabulary import target_label as label

    return label(target)


def review_label(state: str) -> str:
    """A review event: what the decision was ("submitted": a decision taken back)."""
    return {"accepted": _("accepted"), "rejected": _("rejected"),
            "submitted": _("decision taken back")}.get(state, state)


def _state_text(r) -> str:  # type: ignore[no-untyped-def]
    from planner.services.evidence_rows import state_label

    if r.valid_until is None:
        return state_label(r.state)
    return _("{state}, valid until {date}").format(state=state_label(r.state), date=fmt_date(r.valid_until))


def kind_label(kind: str) -> str:
    from planner.services.vocabulary import kind_label as label

    return label(kind)




def _what(r) -> str:  # type: ignore[no-untyped-def]
    if r.doc_number:
        return " ".join(x for x in (r.doc_number, fmt_date(r.doc_date), r.issuer, r.title) if x)
    return r.filename or r.url or r.note


@evidence_group.command("show", help=_("Show one evidence record."))
@click.argument("evidence_id", type=RECORD_ID)
@format_option("text", "json")
def evidence_show(evidence_id: int, fmt: str) -> None:
    from planner.services.evidence import get_evidence, review_history
    from planner.services.evidence_rows import state_label

    ctx = state().context()
    r = get_evidence(ctx, evidence_id)
    history = review_history(ctx, evidence_id)
    if fmt == "json":
        emit_json({**r.to_json(), "reviews": [h.to_json() for h in history]})
        return
    fields = [
        (_("For"), target_label(r.target)), (_("Kind"), kind_label(r.kind)), (_("Title"), r.title),
        (_("Document"), " ".join(x for x in (r.doc_number, fmt_date(r.doc_date), r.issuer) if x)),
        (_("File"), _("{name} ({size} bytes)").format(name=r.filename, size=r.size) if r.filename else ""), (_("Link"), r.url),
        (_("Note"), r.note), (_("Submitted"), f"{fmt_date(r.submitted_on)} {r.submitted_by}"),
        (_("State"), state_label(r.state)),
        (_("Reviewed"), f"{fmt_date(r.reviewed_on)} {r.reviewed_by}" if r.reviewed_on else ""),
        (_("Reason"), r.reason),
    ]
    if r.valid_until is not None:  # listed (and widening the column) only when it has an end
        fields.append((_("Valid until"), fmt_date(r.valid_until)))
    out(f"#{r.id}")
    width = max(len(k) for k, _v in fields)
    for key, value in fields:
        if value:
            out(f"  {key.ljust(width)}  {value}")
    if len(history) > 1 or any(h.state == "submitted" for h in history):
        out(_("Reviews:"))
        for h in history:
            out(f"  {fmt_date(h.on)}  {review_label(h.state)}  {h.by}" + (f": {h.reason}" if h.reason else ""))


@evidence_group.command("get", help=_("Write an attached file out, verified against its SHA-256."))
@click.argument("evidence_id", type=RECORD_ID)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=_("File to write ('-' for stdout; default: the original name)."))
@click.option("--force", is_flag=True, help=_("Replace the file if it exists."))
def evidence_get(evidence_id: int, output: Path | None, force: bool) -> None:
    from planner.io.files import write_file
    from planner.services.errors import InputError
    from planner.services.evidence import attachment

    ctx = state().context()
    name, content = attachment(ctx, evidence_id)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(content)
        return
    # The stored name is data: only its last part, never a path elsewhere.
    target = output or Path(Path(name).name or f"evidence-{evidence_id}")
    if output is None and target.exists() and not force:
        raise InputError(_("{path} exists: choose another name with -o.").format(path=target))
    write_file(target, content, overwrite=force)  # never through a link or onto a device
    warn(_("Wrote {path} ({n} bytes, SHA-256 verified).").format(path=target, n=len(content)))


def _review_command(name: str, decision: str, help_text: str, needs_reason: bool) -> None:
    reason_help = _("Why the evidence is rejected (required).") if needs_reason else _("A note on the decision.")

    @evidence_group.command(name, help=help_text)
    @click.argument("evidence_id", type=RECORD_ID)
    @click.option("--on", metavar="DATE", help=_("Date of the decision (default today)."))
    @click.option("--reason", default="", required=needs_reason, help=reason_help)
    @force_date_option
    def command(evidence_id: int, on: str | None, reason: str, force: bool) -> None:
        from planner.services.evidence import review
        from planner.services.evidence_rows import state_label

        ctx = state().context()
        ev = review(ctx, evidence_id, decision, on=on, reason=reason, force=force)
        warn(_("Evidence {id}: {state}.").format(id=ev.id, state=state_label(ev.state)))


_review_command("accept", "accepted", _("Accept evidence (coordinators)."), False)
_review_command("reject", "rejected", _("Reject evidence with --reason."), True)
_review_command("withdraw", "withdrawn", _("Withdraw evidence you submitted."), False)


@evidence_group.command("reopen", help=_(
    "Take back the acceptance or rejection of evidence (coordinators): it awaits review again. "
    "The score as of an earlier date still counts the decision."))
@click.argument("evidence_id", type=int)
@click.option("--reason", required=True, help=_("Why the decision is taken back (required; kept in the log)."))
@click.option("--on", metavar="DATE", help=_("Date it is taken back (default today)."))
@click.option("--if-version", type=int, metavar="N", help=_("Refuse (exit 3) unless the evidence is still at version N."))
def evidence_reopen(evidence_id: int, reason: str, on: str | None, if_version: int | None) -> None:
    from planner.services.evidence import reopen_review

    ctx = state().context()
    done = reopen_review(ctx, evidence_id, reason=reason, on=on, expected_version=if_version)
    text = (_("Evidence {id}: acceptance taken back on {date}; it awaits review again.")
            if done.previous == "accepted" else
            _("Evidence {id}: rejection taken back on {date}; it awaits review again."))
    warn(text.format(id=done.evidence.id, date=fmt_date(done.on)))
