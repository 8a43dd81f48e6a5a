"""Create and migrate databases, load seed files, and open the demo."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.click_i18n import WholeNumberRange
from planner.cli.common import AppState, confirm_or_abort, out, state, warn
from planner.i18n import _


@click.command("init", help=_("Create an empty database (and optionally an empty plan)."))
@click.option("--year", type=WholeNumberRange(2000, 2100), help=_("Also create an empty plan for this year."))
@click.option("--title", help=_("Title of that plan."))
def init_cmd(year: int | None, title: str | None) -> None:
    from planner.services.plans_admin import create_plan
    from planner.services.users import ensure_first_coordinator

    app = state()
    ctx = app.context(create=True)
    if ensure_first_coordinator(ctx) is not None:
        warn(_("{login} is the coordinator of this database.").format(login=ctx.actor))
    warn(_("Database ready: {db}").format(db=ctx.db.describe()))
    if year is not None:
        plan = create_plan(ctx, year, title or _("Administrative reform plan {year}").format(year=year))
        warn(_("Created the empty {year} plan.").format(year=plan.year))


@click.group("db", help=_("Database schema: upgrade, current revision, copy to another database."))
def db_group() -> None:
    pass


@db_group.command("upgrade", help=_("Apply pending migrations (also done automatically on start)."))
def db_upgrade() -> None:
    from planner.services.errors import InputError
    from planner.store import migrate

    db = state().context(migrate=False).db
    try:
        before, after = migrate.upgrade(db)
    except migrate.SchemaRefused as exc:
        raise InputError(exc.message) from None
    if before == after:
        warn(_("Already at revision {rev}.").format(rev=after))
    else:
        warn(_("Upgraded from {a} to {b}.").format(a=before or _("empty"), b=after))


@db_group.command("copy", help=_(
    "Copy the whole database (tasks, evidence, attachments, history, users) into an empty "
    "database: a SQLite file into PostgreSQL, for example."))
@click.argument("target", metavar="TARGET")
def db_copy(target: str) -> None:
    """TARGET: a database URL (postgresql+psycopg://user@host/db) or a SQLite file path."""
    from planner.io.transfer import copy_database

    ctx = state().context()
    shown: dict[str, int] = {}

    def progress(table: str, rows: int) -> None:
        if rows - shown.get(table, 0) >= 20_000:
            shown[table] = rows
            warn(_("{table}: {rows} rows…").format(table=table, rows=f"{rows:,}"))

    result = copy_database(ctx, target, progress)
    total = sum(result.rows.values())
    for table, rows in result.rows.items():
        if rows:
            out(f"  {table:16} {rows:>9,}")
    warn(_("Copied {total} rows from {source} into {target}. Check the copy with "
           "`planner --db TARGET check`.").format(total=f"{total:,}", source=ctx.db.describe(),
                                                  target=result.target))


@db_group.command("current", help=_("Print the schema revision of the database."))
def db_current() -> None:
    from planner.services.errors import InputError
    from planner.store import migrate

    db = state().context(migrate=False).db
    try:
        migrate.refuse_foreign(db)
    except migrate.SchemaRefused as exc:
        raise InputError(exc.message) from None
    rev = migrate.current_revision(db)
    out(rev or _("(empty)"))
    if rev != migrate.HEAD_REVISION:
        warn(_("This planner expects revision {head}; run `planner db upgrade`.").format(head=migrate.HEAD_REVISION))


@click.group("seed", help=_("Seed files: a whole plan in one readable TOML file."))
def seed_group() -> None:
    pass


@seed_group.command("load", help=_("Validate a seed file and load its plan; nothing is written if any problem is found."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--reset", is_flag=True, help=_(
    "Start the database again from FILE alone: everything it holds is replaced, and kept "
    "beside it as a .before-reset copy. For a practice copy; a SQLite file only."))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
def seed_load(file: Path, reset: bool, yes: bool) -> None:
    if reset:
        reset_from_seed(state(), file, yes)
        return
    ctx = state().context(create=True)
    plan = load_seed_path(ctx, file)
    warn(_("Loaded the {year} plan from {file}.").format(year=plan.year, file=file))


def reset_from_seed(app: AppState, file: Path, yes: bool) -> None:
    """The database at the configured location made again from one seed file: the seed is
    loaded into a new file, which then replaces the database the way `planner restore` does
    (the old one kept beside it), so a failure leaves the database as it was."""
    import tempfile

    from planner.io.backup import restore_database
    from planner.io.seedfile import SeedError, load_seed_file
    from planner.services.errors import InputError
    from planner.services.identity import Identity
    from planner.services.restoring import authorize_restore, record_restore
    from planner.store.engine import database_url, sqlite_path

    location = app.db_location()
    target = sqlite_path(database_url(location))
    if target is None:
        raise InputError(_("--reset works on a SQLite file, not on {db}.").format(db=location))
    try:
        load_seed_file(file)  # a bad seed file is refused before anything else
    except SeedError as exc:
        raise InputError(str(exc)) from exc
    if target.exists() and target.stat().st_size > 0:
        confirm_or_abort(_("Replace everything in {db} with the plan of {file}?").format(
            db=target, file=file), yes)
    with tempfile.TemporaryDirectory(prefix="planner-reset-") as folder:
        fresh = str(Path(folder) / "fresh.db")
        ctx = app.context(fresh, create=True)
        plan = load_seed_path(ctx, file)
        app.close()
        who: list[Identity] = []
        authorize = None
        if target.exists() and target.stat().st_size > 0:
            requested = app.settings.get("user")

            def authorize(copy: Path) -> None:  # replacing a database is a coordinator's act
                who.append(authorize_restore(target, copy, str(requested) if requested else None))

        result = restore_database(Path(fresh), location, authorize, why="reset")
        if who:
            record_restore(location, file, who[0])
    warn(_("Started {db} again with the {year} plan from {file}.").format(
        db=result.target, year=plan.year, file=file))
    if result.safety_copy is not None:
        warn(_("The previous database is kept in {path}.").format(path=result.safety_copy))


def load_seed_path(ctx, file: Path):  # type: ignore[no-untyped-def]
    from planner.io.seedfile import SeedError, load_seed_file
    from planner.services.errors import InputError
    from planner.services.plan_load import load_seed
    from planner.services.plans_admin import authorize_plan_load

    try:
        seed = load_seed_file(file, max_bytes=ctx.limits.seed_bytes)
    except SeedError as exc:
        raise InputError(str(exc)) from exc
    authorize_plan_load(ctx)
    return load_seed(ctx.db, seed, actor=ctx.actor, real_actor=ctx.real_actor)


@click.command("demo", help=_("Open the planner on the sample 2022 plan (its own database, today pinned)."))
@click.option("--as-of", "as_of", metavar="DATE", help=_("Pretend today is this date (default: the sample's date)."))
@click.option("--reset", is_flag=True, help=_("Reload the sample from scratch."))
def demo_cmd(as_of: str | None, reset: bool) -> None:
    ctx = open_demo(state(), reset=reset)
    if as_of:
        from planner.services.inputs import date_field

        ctx.today = date_field(as_of, "--as-of", today=ctx.today, work=ctx.work)
    from planner.cli.cmd_tui import open_tui_with

    open_tui_with(ctx)


def open_demo(app: AppState, *, reset: bool = False):  # type: ignore[no-untyped-def]
    """The demo database: loaded once from the sample plan, "today" pinned to demo_as_of."""
    from planner.config import demo_db_path
    from planner.io.sample import sample_plan_path
    from planner.services.plans import has_plan
    from planner.services.session import pin_today

    path = Path(app.db) if app.db else demo_db_path()
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    ctx = app.context(str(path), create=True)
    with ctx.db.reading() as conn:
        loaded = has_plan(conn)
    if not loaded:
        warn(_("Loading the sample plan into {path}…").format(path=path))
        plan = load_seed_path(ctx, sample_plan_path())
        pin_today(ctx.db, plan.demo_as_of, actor=ctx.actor, real_actor=ctx.real_actor)
        if plan.demo_as_of:
            ctx.today = plan.demo_as_of
    return ctx
