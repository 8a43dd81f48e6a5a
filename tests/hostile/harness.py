"""Run planner's commands with the hostile corpus, in a child process held to a memory limit
and a time limit, and judge each run.

    python -m tests.hostile.harness GROUP [GROUP…]      # from the repository root

Each group is one command taking one kind of input (a file, an output path, a name, a date or
a number); its cases run one after the other in a child process under `RLIMIT_AS` (2 GB, what
`ulimit -v` sets) with an alarm per case and a timeout for the whole group. A case passes when
planner exits with 0–5 and no traceback, within the limits, and when it refused (exit ≠ 0)
the database holds exactly what it held before (a hash of every row of every table). The
counts (tried, refused cleanly, accepted) go to docs/performance.md.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.hostile.corpus import DATES, FILES, NAMES, NUMBERS, device_node

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space, as `ulimit -v 2097152`
CASE_TIMEOUT = 30  # seconds for one command
GROUP_TIMEOUT = 600  # seconds for a whole group (a child process)
EVIDENCE_WITH_FILE = "19"  # added by `make_template`, waiting for review


@dataclass(frozen=True)
class Group:
    """One command and the corpus it meets: `{v}` in `args` (or `env`) is each value."""

    id: str
    kind: str  # name | date | number | file | output
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    user: str = "coordinator"


def _g(id: str, kind: str, *args: str, env: dict[str, str] | None = None, user: str = "coordinator") -> Group:
    return Group(id, kind, args, tuple((env or {}).items()), user)


GROUPS: list[Group] = [
    # files
    _g("import-plan", "file", "import", "plan", "{v}"),
    _g("import-dry-run", "file", "import", "plan", "--dry-run", "{v}"),
    _g("seed-load", "file", "seed", "load", "{v}"),
    _g("evidence-file", "file", "evidence", "add", "T03", "--file", "{v}", user="vp"),
    _g("restore", "file", "restore", "--yes", "{v}"),
    _g("config", "file", "--config", "{v}", "tasks"),
    _g("db-path", "file", "--db", "{v}", "tasks"),
    # output paths
    _g("export-tasks", "output", "export", "tasks", "-o", "{v}"),
    _g("export-self-assessment", "output", "export", "self-assessment", "-o", "{v}"),
    _g("backup", "output", "backup", "--force", "{v}"),
    _g("report-weekly", "output", "report", "weekly", "-o", "{v}"),
    _g("report-due", "output", "report", "due", "-o", "{v}"),
    _g("evidence-get", "output", "evidence", "get", EVIDENCE_WITH_FILE, "--force", "-o", "{v}"),
    _g("db-copy", "output", "db", "copy", "{v}"),
    # names
    _g("office-add-code", "name", "office", "add", "{v}", "--name", "Phòng mới"),
    _g("office-add-name", "name", "office", "add", "PM", "--name", "{v}"),
    _g("office-edit", "name", "office", "edit", "VP", "--head", "{v}"),
    _g("users-add", "name", "users", "add", "{v}"),
    _g("users-name", "name", "users", "add", "nguoimoi", "--name", "{v}"),
    _g("task-add", "name", "task", "add", "{v}", "--lead", "VP", "--due", "30/6/2022"),
    _g("task-code", "name", "task", "add", "Nhiệm vụ", "--lead", "VP", "--due", "30/6/2022", "--code", "{v}"),
    _g("task-edit-product", "name", "task", "edit", "T03", "--product", "{v}"),
    _g("task-edit-description", "name", "task", "edit", "T03", "--description", "{v}"),
    _g("task-lead", "name", "task", "add", "Nhiệm vụ", "--lead", "{v}", "--due", "30/6/2022"),
    _g("task-show", "name", "task", "show", "{v}"),
    _g("evidence-doc", "name", "evidence", "add", "T03", "--doc", "{v}", user="vp"),
    _g("evidence-note", "name", "evidence", "add", "T03", "--note", "{v}", user="vp"),
    _g("evidence-url", "name", "evidence", "add", "T03", "--url", "{v}", user="vp"),
    _g("evidence-reject", "name", "evidence", "reject", EVIDENCE_WITH_FILE, "--reason", "{v}"),
    _g("indicator-add", "name", "indicator", "add", "{v}", "--name", "Tỉ lệ"),
    _g("reading-source", "name", "reading", "add", "ontime_rate", "97", "--source", "{v}"),
    _g("criterion-confirm", "name", "criterion", "confirm", "5.5", "{v}"),
    _g("tasks-search", "name", "tasks", "--search", "{v}"),
    _g("tasks-office", "name", "tasks", "--office", "{v}"),
    _g("explain", "name", "explain", "{v}"),
    _g("log-task", "name", "log", "--task", "{v}"),
    _g("acting-user", "name", "--user", "{v}", "task", "start", "T03"),
    _g("db-location", "name", "--db", "{v}", "tasks"),
    # dates
    _g("task-done-on", "date", "task", "done", "T03", "--on", "{v}"),
    _g("task-due", "date", "task", "add", "Nhiệm vụ", "--lead", "VP", "--due", "{v}"),
    _g("task-start", "date", "task", "edit", "T03", "--start", "{v}"),
    _g("evidence-on", "date", "evidence", "add", "T03", "--doc", "12/QĐ", "--on", "{v}", user="vp"),
    _g("evidence-date", "date", "evidence", "add", "T03", "--doc", "12/QĐ", "--date", "{v}", user="vp"),
    _g("evidence-accept-on", "date", "evidence", "accept", EVIDENCE_WITH_FILE, "--on", "{v}"),
    _g("reading-date", "date", "reading", "add", "ontime_rate", "97", "--date", "{v}"),
    _g("criterion-enter-on", "date", "criterion", "enter", "8.1", "15", "--on", "{v}"),
    _g("tasks-as-of", "date", "tasks", "--as-of", "{v}"),
    _g("score-as-of", "date", "score", "--as-of", "{v}"),
    _g("report-as-of", "date", "report", "weekly", "--as-of", "{v}"),
    _g("log-since", "date", "log", "--since", "{v}"),
    # numbers
    _g("evidence-accept", "number", "evidence", "accept", "{v}"),
    _g("evidence-show", "number", "evidence", "show", "{v}"),
    _g("task-progress", "number", "task", "edit", "T03", "--progress", "{v}"),
    _g("task-if-version", "number", "task", "done", "T03", "--on", "10/05/2022", "--if-version", "{v}"),
    _g("reading-value", "number", "reading", "add", "ontime_rate", "{v}"),
    _g("criterion-enter", "number", "criterion", "enter", "8.1", "{v}"),
    _g("weight", "number", "task", "add", "Nhiệm vụ", "--lead", "VP", "--due", "30/6/2022",
       "--criterion", "1.1.1:{v}"),
    _g("log-limit", "number", "log", "--limit", "{v}"),
    _g("due-within", "number", "tasks", "--due-within", "{v}"),
    _g("plan-year", "number", "--plan", "{v}", "tasks"),
    _g("init-year", "number", "init", "--year", "{v}"),
    _g("max-attachment-env", "number", "tasks", env={"PLANNER_MAX_ATTACHMENT_MB": "{v}"}),
    _g("max-unpacked-env", "number", "tasks", env={"PLANNER_MAX_UNPACKED_MB": "{v}"}),
    _g("smtp-port-env", "number", "tasks", env={"PLANNER_SMTP_PORT": "{v}"}),
]


def _outputs(directory: Path) -> list[tuple[str, str]]:
    """Output paths a careless or hostile user names."""
    elsewhere = directory / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = directory / "link.out"
    link.symlink_to(elsewhere)
    dangling = directory / "dangling.out"
    dangling.symlink_to(directory / "nowhere" / "x")
    fifo = directory / "pipe.out"
    os.mkfifo(fifo)
    other = directory / "other_app.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    return [("symlink", str(link)), ("dangling-symlink", str(dangling)), ("fifo", str(fifo)),
            ("directory", str(directory)), ("dev-null", str(device_node(directory, "null"))),
            ("dev-full", str(device_node(directory, "full"))),
            ("no-such-directory", str(directory / "missing" / "out.xlsx")),
            ("markup-name", str(directory / "[red]x[-].out")), ("other-app-db", str(other))]


def values(kind: str, directory: Path) -> list[tuple[str, str]]:
    """(id, value) of the corpus for one kind of input; files and paths made in `directory`."""
    if kind == "name":
        return NAMES
    if kind == "date":
        return DATES
    if kind == "number":
        return NUMBERS
    if kind == "file":
        return [(f.id, str(f.make(directory))) for f in FILES]
    if kind == "output":
        return _outputs(directory)
    raise ValueError(kind)


# ------------------------------------------------------------------------------ the child


@dataclass
class Outcome:
    group: str
    value: str
    exit_code: int | None
    seconds: float
    changed: bool
    problem: str = ""  # why the case fails, empty when it passes
    stderr: str = ""

    @property
    def refused(self) -> bool:
        return self.exit_code not in (0, None)


def fingerprint(db: str) -> str:
    """A hash of the database's dump: every table's schema and rows (sqlite3 directly: a few
    milliseconds, where reflecting the schema through SQLAlchemy takes a tenth of a second)."""
    import hashlib

    path = Path(db)
    if not path.is_file() or not path.stat().st_size:
        return "(no database)"
    digest = hashlib.sha256()
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        for name, sql in tables:
            digest.update(f"{name}\n{sql}\n".encode())
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


class CaseTimeout(Exception):
    pass


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(_signum: int, _frame: Any) -> None:
        raise CaseTimeout(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_case(group: Group, value_id: str, value: str, db: str) -> Outcome:
    from click.testing import CliRunner

    from planner.cli import cli

    args = [part.replace("{v}", value) for part in group.args]
    if "--db" not in args:
        args = ["--db", db, *args]
    from planner.services import identity

    env = {k: v.replace("{v}", value) for k, v in group.env}
    before = fingerprint(db)
    started = time.monotonic()
    problem = ""
    try:
        with _alarm(CASE_TIMEOUT), identity.injected(group.user):  # the person at the keyboard
            result = CliRunner().invoke(cli, args, env=env, input="", catch_exceptions=True)
        code: int | None = result.exit_code
        stderr = result.stderr
        error = result.exception
        if isinstance(error, CaseTimeout):
            code, problem = None, f"hang: {error}"
        elif isinstance(error, MemoryError):
            code, problem = None, "memory: over the address-space limit"
        elif error is not None and not isinstance(error, SystemExit):
            problem = f"traceback: {type(error).__name__}: {error}"
    except CaseTimeout as exc:
        code, stderr, problem = None, "", f"hang: {exc}"
    except MemoryError:
        code, stderr, problem = None, "", "memory: over the address-space limit"
    seconds = time.monotonic() - started
    if "Traceback" in stderr:
        problem = problem or "a traceback on stderr"
    if code is not None and not 0 <= code <= 5:
        problem = problem or f"exit code {code} (expected 0–5)"
    changed = fingerprint(db) != before
    if code not in (0, None) and changed:
        problem = problem or "refused, yet the database changed"
    return Outcome(group.id, value_id, code, round(seconds, 3), changed, problem, stderr[-400:])


def child(spec_path: Path, out_path: Path) -> None:
    """Run the groups of a spec (in this process, under the memory limit), each on its own
    copy of the database."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    outcomes = []
    for item in spec["groups"]:
        group = next(g for g in GROUPS if g.id == item["group"])
        os.chdir(item["workdir"])  # a relative path in the corpus lands in the group's folder
        for value_id, value in item["values"]:
            outcomes.append(asdict(run_case(group, value_id, value, item["db"])))
            out_path.write_text(json.dumps(outcomes), encoding="utf-8")  # kept if the child dies


# ------------------------------------------------------------------------------ the parent


def make_template(path: Path) -> None:
    """The sample plan, "today" pinned to 09/05/2022, with division users and one attached
    file waiting for review (evidence 19)."""
    from click.testing import CliRunner

    from planner.cli import cli
    from planner.services import identity
    from planner.services.session import pin_today
    from planner.store.db import Database

    def ok(*args: str, user: str = "coordinator") -> None:
        with identity.injected(user):
            result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output

    ok("seed", "load", str(SEED))
    db = Database(str(path))
    from datetime import date

    pin_today(db, date(2022, 5, 9), actor="coordinator")
    db.dispose()
    ok("users", "add", "vp", "--role", "office_member", "--office", "VP")
    ok("evidence", "add", "T03", "--file", str(SEED), user="vp")


#: The groups in batches, one child process each (a child's start and first command cost
#: seconds: one per group would double the run).
BATCHES: dict[str, list[str]] = {
    "files": [g.id for g in GROUPS if g.kind == "file"],
    "outputs": [g.id for g in GROUPS if g.kind == "output"],
    "dates": [g.id for g in GROUPS if g.kind == "date"],
    "numbers": [g.id for g in GROUPS if g.kind == "number"],
    **{f"names-{i + 1}": [g.id for g in GROUPS if g.kind == "name"][i::3] for i in range(3)},
}


def _copy_database(template: Path, target: Path) -> None:
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def run_groups(groups: list[Group], template: Path, workdir: Path) -> list[Outcome]:
    """Every corpus value of `groups`, in one child process; each group on its own copy of
    `template`, in its own folder."""
    items = []
    for group in groups:
        folder = workdir / group.id
        (folder / "corpus").mkdir(parents=True)
        _copy_database(template, folder / "planner.db")
        items.append({"group": group.id, "db": str(folder / "planner.db"), "workdir": str(folder),
                      "values": values(group.kind, folder / "corpus")})
    spec, out = workdir / "spec.json", workdir / "out.json"
    spec.write_text(json.dumps({"groups": items}), encoding="utf-8")
    env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config"),
           "XDG_DATA_HOME": str(workdir / "data"), "LANG": "C.UTF-8", "PLANNER_LANG": "en",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    for var in ("PLANNER_DB", "PLANNER_CONFIG", "PLANNER_MAX_ATTACHMENT_MB"):
        env.pop(var, None)
    try:
        proc = subprocess.run([sys.executable, "-m", "tests.hostile.harness", "--child", str(spec), str(out)],
                              cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=GROUP_TIMEOUT * len(groups))
        died = proc.returncode != 0 and f"the child process died ({proc.returncode}): {proc.stderr[-400:]}"
    except subprocess.TimeoutExpired:
        died = f"the batch took more than {GROUP_TIMEOUT * len(groups)} s"
    done = [Outcome(**o) for o in json.loads(out.read_text(encoding="utf-8"))] if out.exists() else []
    seen = {(o.group, o.value) for o in done}
    for item in items:
        done += [Outcome(item["group"], vid, None, 0.0, False, str(died or "not run"))
                 for vid, _v in item["values"] if (item["group"], vid) not in seen]
    return done


def run_group(group: Group, template: Path, workdir: Path) -> list[Outcome]:
    return run_groups([group], template, workdir)


def summary(outcomes: list[Outcome]) -> dict[str, int]:
    return {"tried": len(outcomes),
            "refused cleanly": sum(1 for o in outcomes if o.refused and not o.problem),
            "accepted": sum(1 for o in outcomes if o.exit_code == 0 and not o.problem),
            "failed": sum(1 for o in outcomes if o.problem)}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(Path(argv[1]), Path(argv[2]))
        return 0
    wanted = [g for g in GROUPS if not argv or g.id in argv or g.kind in argv]
    base = Path(tempfile.mkdtemp(prefix="planner-hostile-"))
    try:
        template = base / "template.db"
        make_template(template)
        outcomes: list[Outcome] = []
        by_kind: dict[str, list[Outcome]] = {}
        kinds = {g.id: g.kind for g in GROUPS}
        for batch, ids in BATCHES.items():
            chosen = [g for g in wanted if g.id in ids]
            if not chosen:
                continue
            result = run_groups(chosen, template, base / batch)
            outcomes += result
            for o in result:
                by_kind.setdefault(kinds[o.group], []).append(o)
                if o.problem:
                    print(f"FAIL {o.group} [{o.value}]: {o.problem}", file=sys.stderr)
        print(f"{'input':8} {'tried':>6} {'refused':>8} {'accepted':>9} {'failed':>7}")
        for kind, items in [*by_kind.items(), ("all", outcomes)]:
            s = summary(items)
            print(f"{kind:8} {s['tried']:>6} {s['refused cleanly']:>8} {s['accepted']:>9} {s['failed']:>7}")
        slowest = max(outcomes, key=lambda o: o.seconds)
        print(f"slowest case: {slowest.group} [{slowest.value}] {slowest.seconds:.2f} s")
        return 1 if any(o.problem for o in outcomes) else 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


__all__ = ["BATCHES", "GROUPS", "Group", "Outcome", "make_template", "run_group", "run_groups", "summary"]

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
