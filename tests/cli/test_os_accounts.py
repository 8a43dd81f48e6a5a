"""A second real account on the same computer, with write access to the shared database file,
cannot act as the coordinator: planner takes the person from the operating system, whatever
`--user`, PLANNER_USER, USER or LOGNAME say. (CI runs as root, so the test makes the account.)"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("runuser") or not shutil.which("useradd"),
    reason="needs root, runuser and useradd to run planner under a second account")


@pytest.fixture
def account() -> Iterator[str]:
    name = "pl" + uuid.uuid4().hex[:10]
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                   check=True, capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory both accounts may write, as a shared database needs."""
    folder = Path(tempfile.mkdtemp(prefix="planner-shared-"))
    folder.chmod(0o1777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _runs(account: str, python: str) -> bool:
    probe = subprocess.run(["runuser", "-u", account, "--", python, "-c", "import planner.cli"],
                           capture_output=True, text=True, cwd="/")
    return probe.returncode == 0


@pytest.fixture
def python(account: str, shared: Path) -> str:
    """An interpreter with planner installed that the second account can execute: this one,
    or (when it lives in root's home, as pyenv's does) a venv of the system's Python of the
    same version, seeing planner and its dependencies (copied if the account cannot read
    them where they are)."""
    if _runs(account, sys.executable):
        return sys.executable
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.skip(f"{account} cannot execute {sys.executable}, and there is no {system}")
    venv = shared / "venv"
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
    target = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
        "site-packages"
    sources = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (target / "planner-deps.pth").write_text("\n".join([str(ROOT), *sources]) + "\n")
    interpreter = str(venv / "bin" / "python")
    if not _runs(account, interpreter):
        # The account cannot read the project or its packages where they are: copy them.
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for source in sources:
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=ignore, symlinks=True)
        shutil.copytree(ROOT / "planner", target / "planner", dirs_exist_ok=True, ignore=ignore)
        (target / "planner-deps.pth").unlink()
        subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    if not _runs(account, interpreter):
        pytest.skip(f"{account} cannot run planner with {interpreter}")
    return interpreter


def planner(folder: Path, python: str, *args: str, account: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    home = folder / f"home-{account or 'root'}"
    home.mkdir(exist_ok=True)
    home.chmod(0o777)
    base = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8", **(env or {})}
    command = [python, "-m", "planner", "--db", str(folder / "planner.db"), *args]
    if account is not None:
        command = ["runuser", "-u", account, "--", "env", *(f"{k}={v}" for k, v in base.items()),
                   *command]
        return subprocess.run(command, capture_output=True, text=True, cwd="/")
    return subprocess.run(command, capture_output=True, text=True, cwd="/", env=base)


def fingerprint(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [*conn.execute("SELECT * FROM change_log ORDER BY id"),
                *conn.execute("SELECT id, status, done_on FROM task ORDER BY id")]
    finally:
        conn.close()


def test_a_second_account_cannot_act_as_the_coordinator(account: str, shared: Path,
                                                          python: str) -> None:
    me = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    loaded = planner(shared, python, "seed", "load", str(SEED))
    assert loaded.returncode == 0, loaded.stderr
    added = planner(shared, python, "users", "add", account, "--role", "office_member", "--office", "TCCB")
    assert added.returncode == 0, added.stderr
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(shared / "planner.db") + suffix)
        if side.exists():
            side.chmod(0o666)  # the other account may write the file: planner must still refuse
    before = fingerprint(shared / "planner.db")
    claims = [
        (("--user", me, "task", "done", "T03", "--on", "12/05/2022"), {}),
        (("task", "done", "T03", "--on", "12/05/2022"), {"PLANNER_USER": me}),
        (("task", "done", "T03", "--on", "12/05/2022"),
         {"USER": me, "LOGNAME": me, "PLANNER_USER": me}),
    ]
    for args, env in claims:
        result = planner(shared, python, *args, account=account, env=env)
        assert result.returncode == 4, (args, env, result.stdout, result.stderr)
        assert f'you are "{account}" on this computer and not a coordinator' in result.stderr
        assert f'cannot act as "{me}"' in result.stderr
    assert fingerprint(shared / "planner.db") == before
    # Without claiming anything the account works as itself, with its own rights, and the
    # change log names it.
    own = planner(shared, python, "task", "start", "T10", "--on", "09/05/2022", account=account)
    assert own.returncode == 0, own.stderr
    log = planner(shared, python, "log", "--limit", "1")
    assert account in log.stdout and "T10" in log.stdout
    # USER and LOGNAME alone do not make it someone else either.
    spoofed = planner(shared, python, "task", "start", "T03", account=account,
                      env={"USER": me, "LOGNAME": me})
    assert spoofed.returncode == 4
    assert "you are office member (TCCB)" in spoofed.stderr
