"""The `planner` command. Bare `planner` opens the terminal UI; subcommands script the rest.

Heavy libraries (SQLModel ~0.47 s, Textual ~0.22 s, fpdf ~0.35 s) are imported inside the
commands that use them, so `planner --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from planner import __version__
from planner.i18n import _, set_language


def _early_language() -> str | None:
    """The language asked for before options are parsed, so help texts are translated."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    try:
        from planner.config import load_settings

        return load_settings().get("language")
    except Exception:  # a broken config file is reported later, with its path
        return None


set_language(_early_language())

from planner.cli.common import AppState  # noqa: E402

#: Subcommand name -> (module in planner.cli, attribute). Each module is imported only when
#: its command runs (or `--help` lists them all): a command pays for its own imports only.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("cmd_db", "init_cmd"),
    "db": ("cmd_db", "db_group"),
    "seed": ("cmd_db", "seed_group"),
    "demo": ("cmd_db", "demo_cmd"),
    "tasks": ("cmd_tasks", "tasks_cmd"),
    "task": ("cmd_tasks", "task_group"),
    "evidence": ("cmd_evidence", "evidence_group"),
    "score": ("cmd_score", "score_cmd"),
    "explain": ("cmd_score", "explain_cmd"),
    "offices": ("cmd_offices", "offices_cmd"),
    "office": ("cmd_offices", "office_group"),
    "indicators": ("cmd_indicators", "indicators_cmd"),
    "indicator": ("cmd_indicators", "indicator_group"),
    "reading": ("cmd_indicators", "reading_group"),
    "criterion": ("cmd_indicators", "criterion_group"),
    "links": ("cmd_links", "links_group"),
    "config": ("cmd_config", "config_group"),
    "users": ("cmd_config", "users_group"),
    "log": ("cmd_config", "log_cmd"),
    "completion": ("cmd_config", "completion_cmd"),
    "import": ("cmd_io", "import_group"),
    "export": ("cmd_io", "export_group"),
    "backup": ("cmd_io", "backup_cmd"),
    "restore": ("cmd_io", "restore_cmd"),
    "check": ("cmd_io", "check_cmd"),
    "report": ("cmd_report", "report_group"),
}


class PlannerGroup(click.Group):
    """Loads subcommands on demand and turns PlannerError into a message on stderr and its
    exit code, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*LAZY_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            module_name, attribute = LAZY_COMMANDS[cmd_name]
            module = importlib.import_module(f"planner.cli.{module_name}")
            self.add_command(getattr(module, attribute), cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        from planner.services.errors import PlannerError

        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            click.echo(_error_prefix() + exc.message, err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(130)
        except Exception as exc:  # the database is unreachable, locked, or not a database
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):
                click.echo(_error_prefix() + _database_message(exc), err=True)
                ctx.exit(2)
            raise
        finally:
            # Release pooled connections when the command ends (matters for PostgreSQL).
            app = ctx.find_object(AppState)
            if app is not None:
                app.close()
        return None


def _error_prefix() -> str:
    return _("error: ")


def _database_message(exc: Exception) -> str:
    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
    return _("the database could not be used: {detail}").format(detail=detail)


@click.group(cls=PlannerGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="PLANNER_DB", metavar="PATH|URL",
              help=_("Database file or SQLAlchemy URL (default: planner.db in the user data directory)."))
@click.option("--plan", "plan_year", type=int, metavar="YEAR",
              help=_("Plan year when the database holds several (default: the latest)."))
@click.option("--user", envvar="PLANNER_USER", help=_("Act as this user (default: your login)."))
@click.option("--lang", type=click.Choice(["vi", "en"]), help=_("Language of messages (default: config or LANG)."))
@click.option("--config", envvar="PLANNER_CONFIG", metavar="FILE", help=_("Config file to read."))
@click.version_option(__version__, "--version", prog_name="planner")
@click.pass_context
def cli(ctx: click.Context, db: str | None, plan_year: int | None, user: str | None,
        lang: str | None, config: str | None) -> None:
    """planner: carry out the annual administrative-reform plan and answer for it.

    Run without a command to open the terminal UI.
    """
    app = AppState(db=db, plan_year=plan_year, user=user, language=lang, config=config)
    ctx.obj = app
    set_language(app.settings.get("language"))
    if ctx.invoked_subcommand is None:
        from planner.cli.cmd_tui import open_tui

        open_tui(app, demo=False)


def main() -> None:
    try:
        cli.main(prog_name="planner", standalone_mode=True)
    except BrokenPipeError:  # `planner tasks | head`
        sys.stderr.close()
        sys.exit(0)
