"""`planner config path|show`, `planner users …`, `planner log`."""

from __future__ import annotations

import click

from planner.cli.common import (
    COUNT,
    emit_json,
    fmt_date,
    format_option,
    out,
    render_table,
    state,
    warn,
)
from planner.i18n import _


@click.group("config", help=_("Where the config file is and which settings are in force."))
def config_group() -> None:
    pass


@config_group.command("path", help=_("Print the config file's location."))
def config_path_cmd() -> None:
    out(str(state().settings.path))


@config_group.command("show", help=_("Settings in force and where each came from."))
@format_option("table", "json")
def config_show(fmt: str) -> None:
    from planner.config import SETTING_HELP, reports_dir
    from planner.store.engine import database_url

    settings = state().settings
    rows = []
    for name, value in settings.values.items():
        if name == "db":
            # The database in force, with any password in its URL hidden.
            from sqlalchemy.engine import make_url

            url = database_url(state().db_location())
            shown = make_url(url).render_as_string(hide_password=True) if "://" in str(value or "") else state().db_location()
        elif "password" in name and value:
            shown = "********"
        elif name == "reports_dir":
            shown = str(reports_dir(settings))  # the documents folder when unset
        else:
            shown = "" if value is None else str(value)
        rows.append([name, shown, settings.sources.get(name, ""), _(SETTING_HELP[name]) if name in SETTING_HELP else ""])
    if fmt == "json":
        emit_json({r[0]: {"value": r[1], "source": r[2], "description": r[3]} for r in rows})
        return
    # The description last, unclipped: on a narrow terminal it wraps, the values stay whole.
    out(render_table([_("Setting"), _("Value"), _("From"), _("What it is")],
                     [[n, v, source_label(src), what] for n, v, src, what in rows]))


def source_label(source: str) -> str:
    """Where a setting came from, in words (`--format json` keeps the codes): the default, a
    command-line option, the config file, an environment variable."""
    if source == "default":
        return _("default")
    if source == "flag":
        return _("command-line option")
    if source.startswith("file "):
        return _("config file {path}").format(path=source.removeprefix("file "))
    if source.startswith("environment "):
        return _("environment variable {name}").format(name=source.removeprefix("environment "))
    return source


@click.group("users", help=_("Who may do what: coordinators, office members, viewers."))
def users_group() -> None:
    pass


@users_group.command("list", help=_(
    "List users: role, office, the account or login role they log in as, whether they can "
    "log in, and their last action."))
@format_option("table", "json")
def users_list(fmt: str) -> None:
    from planner.services.users import user_overview
    from planner.services.vocabulary import role_label

    rows = user_overview(state().context())
    if fmt == "json":
        emit_json([r.to_json() for r in rows])
        return
    out(render_table(
        [_("Login"), _("Name"), _("Role"), _("Office"), _("Logs in as"), _("Can log in"),
         _("Last action")],
        [[r.login, r.name, role_label(r.role), r.office, r.logs_in_as,
          _("yes") if r.can_log_in else _("no") + (f" ({r.why_not})" if r.why_not else ""),
          (f"{fmt_date(r.last_at.date())} {r.last_at:%H:%M} {r.last_change}" if r.last_at
           else "")] for r in rows], flex=1))


def _role(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A role as its code (`office_member`) or in words ("office member", "thành viên phòng")."""
    if value is None:
        return None
    from planner.services.vocabulary import ROLE_WORDS, code_from_words, role_label

    roles = ("coordinator", "office_member", "viewer")
    code = code_from_words(value, ROLE_WORDS, roles)
    if code is None:
        raise click.BadParameter(_('unknown role "{role}" (one of: {choices}).').format(
            role=value, choices=", ".join(role_label(r) for r in roles)))
    return code


_ROLE_HELP = _("coordinator, office member or viewer, in words or as codes.")


@users_group.command("add", help=_("Add a user."))
@click.argument("login")
@click.option("--role", metavar="ROLE", default="viewer", callback=_role,
              help=_("coordinator, office member or viewer (the default), in words or as codes."))
@click.option("--office", metavar="CODE", help=_("The user's office."))
@click.option("--name", help=_("Full name."))
@click.option("--login", "new_login", is_flag=True, help=_(
    "PostgreSQL: also create their login role, named LOGIN, with a generated password shown "
    "once."))
@click.option("--existing-role", metavar="ROLE", help=_(
    "PostgreSQL: they log in with this existing role (certificate, peer or a password set by "
    "the server's administrators)."))
def users_add(login: str, role: str, office: str | None, name: str | None, new_login: bool,
              existing_role: str | None) -> None:
    from planner.services.users import save_user, user_password

    user = save_user(state().context(), login, role=role, office=office, name=name, create=True,
                     new_login=new_login, existing_role=existing_role)
    warn(_("Added user {login}.").format(login=login))
    password = user_password(user)
    if password:
        warn(_("Login role {role} created. Its password, shown only this once (give it to "
               "{login} in person; they can change it with ALTER ROLE … PASSWORD):").format(
            role=user.db_role, login=login))
        out(password)


@users_group.command("set-role", help=_("Change a user's role (and office). ROLE: {roles}").format(
    roles=_ROLE_HELP))
@click.argument("login")
@click.argument("role", metavar="ROLE", callback=_role)
@click.option("--office", metavar="CODE", help=_("The user's office."))
def users_set_role(login: str, role: str, office: str | None) -> None:
    from planner.services.users import save_user
    from planner.services.vocabulary import role_label

    save_user(state().context(), login, role=role, office=office)
    warn(_("{login} is now {role}.").format(login=login, role=role_label(role)))


@users_group.command("remove", help=_("Remove a user."))
@click.argument("login")
def users_remove(login: str) -> None:
    from planner.services.users import remove_user

    remove_user(state().context(), login)
    warn(_("Removed user {login}.").format(login=login))


@click.command("log", help=_("The change log: who changed what, when."))
@click.option("--task", metavar="CODE", help=_("Only the changes of this task."))
@click.option("--office", metavar="CODE", help=_("Only the changes of the tasks this office leads."))
@click.option("--since", metavar="DATE", help=_("From this day on (dd/mm/yyyy or ISO)."))
@click.option("--until", metavar="DATE", help=_("Up to this day, included."))
@click.option("--limit", type=COUNT, metavar="N", help=_("Only the last N entries."))
@format_option("table", "json")
def log_cmd(task: str | None, office: str | None, since: str | None, until: str | None,
            limit: int | None, fmt: str) -> None:
    from planner.services.history import change_log
    from planner.services.inputs import date_field

    ctx = state().context()
    first = date_field(since, "--since", today=ctx.today, work=ctx.work) if since else None
    last = date_field(until, "--until", today=ctx.today, work=ctx.work) if until else None
    entries = change_log(ctx, task=task, office=office, since=first, until=last, limit=limit)
    if fmt == "json":
        emit_json([e.to_json() for e in entries])
        return
    if not entries:
        warn(_("No change matches."))
        return
    out(render_table([_("When"), _("What")],
                     [[f"{fmt_date(e.local_at.date())} {e.local_at:%H:%M}", e.sentence] for e in entries]))


@click.command("completion", help=_("Print (or install) shell completion for bash, zsh or fish."))
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.option("--install", is_flag=True, help=_("Add it to your shell's start-up file."))
def completion_cmd(shell: str, install: bool) -> None:
    from pathlib import Path

    from click.shell_completion import get_completion_class

    from planner.services.errors import InputError

    root = click.get_current_context().find_root().command
    cls = get_completion_class(shell)
    assert cls is not None
    script = cls(root, {}, "planner", "_PLANNER_COMPLETE").source()
    if not install:
        out(script)
        return
    home = Path.home()
    target = {"bash": home / ".bashrc", "zsh": home / ".zshrc",
              "fish": home / ".config" / "fish" / "completions" / "planner.fish"}[shell]
    line = {"bash": 'eval "$(_PLANNER_COMPLETE=bash_source planner)"',
            "zsh": 'eval "$(_PLANNER_COMPLETE=zsh_source planner)"'}.get(shell)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if line is None:
            target.write_text(script, encoding="utf-8")
        else:
            existing = target.read_text(encoding="utf-8") if target.exists() else ""
            if line not in existing:
                with target.open("a", encoding="utf-8") as fh:
                    fh.write(f"\n# planner shell completion\n{line}\n")
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror)) from exc
    warn(_("Completion installed in {path}; open a new shell to use it.").format(path=target))
