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

from planner.cli.click_i18n import WholeNumberRange, adopt, install  # noqa: E402
from planner.cli.common import AppState  # noqa: E402

install()  # click's own words ("Usage:", "Show this message and exit.") from planner's catalog

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
    "plan": ("cmd_plan", "plan_group"),
    "whatif": ("cmd_foresight", "whatif_cmd"),
    "focus": ("cmd_foresight", "focus_cmd"),
    "ranking": ("cmd_ranking", "ranking_group"),
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
            self.add_command(adopt(getattr(module, attribute)), cmd_name)
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            _refuse_undecodable(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        from planner.services.errors import PlannerError

        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            from planner.domain.text import printable

            click.echo(printable(_error_prefix() + exc.message, multiline=True), err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(130)
        except Exception as exc:  # the database is unreachable, locked, or not a database
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):  # a lost concurrent update exits 3

                from planner.services.errors import from_database_error

                meant = from_database_error(exc)
                if meant is not None:
                    click.echo(_error_prefix() + meant.message, err=True)
                    ctx.exit(int(meant.exit_code))
                click.echo(_error_prefix() + _database_message(exc), err=True)
                ctx.exit(2)
            raise
        finally:
            # Release pooled connections when the command ends (matters for PostgreSQL).
            app = ctx.find_object(AppState)
            if app is not None:
                app.close()
        return None


def _refuse_undecodable(args: list[str]) -> None:
    """A byte that is not UTF-8 in an argument (Python hands it over as a lone surrogate)
    cannot be stored, searched or printed: refuse it at once, as bad input. A file name is
    the exception: Linux allows any bytes there, and an existing file is read as it is."""
    import os

    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
            if os.path.lexists(value):
                continue
            from planner.domain.text import printable

            raise click.UsageError(_(
                "argument {n} ({arg}) is not valid UTF-8 text: retype it, or check the "
                "terminal's encoding.").format(n=position, arg=printable(arg))) from None


def _error_prefix() -> str:
    return _("error: ")


def _database_message(exc: Exception) -> str:
    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
    return _("the database could not be used: {detail}").format(detail=detail)


@click.group(cls=PlannerGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]},
             help=_("planner: carry out the annual administrative-reform plan and answer for it.\n\n"
                    "Run without a command to open the terminal UI."))
@click.option("--db", envvar="PLANNER_DB", metavar="PATH|URL",
              help=_("Database file or SQLAlchemy URL (default: planner.db in the user data directory)."))
@click.option("--plan", "plan_year", type=WholeNumberRange(1000, 9999), metavar="YEAR",
              help=_("Plan year when the database holds several (default: the latest)."))
@click.option("--user", envvar="PLANNER_USER", metavar="LOGIN", help=_("Act as this user (default: your login)."))
@click.option("--lang", type=click.Choice(["vi", "en"]), help=_("Language of messages (default: config or LANG)."))
@click.option("--config", envvar="PLANNER_CONFIG", metavar="FILE", help=_("Config file to read."))
@click.version_option(__version__, "--version", prog_name="planner")
@click.pass_context
def cli(ctx: click.Context, db: str | None, plan_year: int | None, user: str | None,
        lang: str | None, config: str | None) -> None:
    """The root of every command: reads the global options."""
    # Values click read from PLANNER_DB, PLANNER_USER or PLANNER_CONFIG are the environment's,
    # not flags: the settings read them again and say so (`planner config show`), and `demo`
    # never takes PLANNER_DB (the user's real database) for its sample.
    from click.core import ParameterSource

    def given(name: str, value: str | None) -> str | None:
        return None if ctx.get_parameter_source(name) == ParameterSource.ENVIRONMENT else value

    app = AppState(db=given("db", db), plan_year=plan_year, user=given("user", user),
                   language=lang, config=given("config", config))
    ctx.obj = app
    set_language(app.settings.get("language"))
    if ctx.invoked_subcommand is None:
        from planner.cli.cmd_tui import open_tui

        open_tui(app, demo=False)


adopt(cli)


def main() -> None:
    from planner import runtime

    runtime.start_command()  # the collector is off for a one-shot command (planner/runtime.py)
    try:
        cli.main(prog_name="planner", standalone_mode=True)
    except BrokenPipeError:  # `planner tasks | head`
        sys.stderr.close()
        sys.exit(0)
