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
        else:
            shown = "" if value is None else str(value)
        rows.append([name, shown, settings.sources.get(name, "")])
    if fmt == "json":
        emit_json({r[0]: {"value": r[1], "source": r[2]} for r in rows})
        return
    out(render_table([_("Setting"), _("Value"), _("From")], rows, flex=1))


@click.group("users", help=_("Who may do what: coordinators, office members, viewers."))
def users_group() -> None:
    pass


@users_group.command("list", help=_("List users."))
def users_list() -> None:
    from planner.services.users import list_users

    rows = list_users(state().context())
    out(render_table([_("Login"), _("Name"), _("Role"), _("Office")],
                     [[u.login, u.name, u.role, o.code if o else ""] for u, o in rows], flex=1))


@users_group.command("add", help=_("Add a user."))
@click.argument("login")
@click.option("--role", type=click.Choice(["coordinator", "office_member", "viewer"]), default="viewer")
@click.option("--office", help=_("The user's office."))
@click.option("--name", help=_("Full name."))
def users_add(login: str, role: str, office: str | None, name: str | None) -> None:
    from planner.services.users import save_user

    save_user(state().context(), login, role=role, office=office, name=name, create=True)
    warn(_("Added user {login}.").format(login=login))


@users_group.command("set-role", help=_("Change a user's role (and office)."))
@click.argument("login")
@click.argument("role", type=click.Choice(["coordinator", "office_member", "viewer"]))
@click.option("--office")
def users_set_role(login: str, role: str, office: str | None) -> None:
    from planner.services.users import save_user

    save_user(state().context(), login, role=role, office=office)
    warn(_("{login} is now {role}.").format(login=login, role=role))


@users_group.command("remove", help=_("Remove a user."))
@click.argument("login")
def users_remove(login: str) -> None:
    from planner.services.users import remove_user

    remove_user(state().context(), login)
    warn(_("Removed user {login}.").format(login=login))


@click.command("log", help=_("The change log: who changed what, when."))
@click.option("--task", metavar="CODE")
@click.option("--office", metavar="CODE")
@click.option("--since", metavar="DATE")
@click.option("--limit", type=COUNT, help=_("Only the last N entries."))
@format_option("table", "json")
def log_cmd(task: str | None, office: str | None, since: str | None, limit: int | None, fmt: str) -> None:
    from planner.services.history import change_log
    from planner.services.inputs import date_field

    ctx = state().context()
    day = date_field(since, "--since", today=ctx.today, work=ctx.work) if since else None
    entries = change_log(ctx, task=task, office=office, since=day, limit=limit)
    if fmt == "json":
        emit_json([e.to_json() for e in entries])
        return
    out(render_table([_("When"), _("Who"), _("What")],
                     [[f"{fmt_date(e.at.date())} {e.at:%H:%M}", e.actor, e.summary] for e in entries], flex=2))


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
