"""Under `--lang vi` nothing English or internal reaches the user.

- the catalog: no message left as its English source, and every message click and Textual
  show (their own, not planner's) is marked for translation, so an upgrade that adds one
  fails here;
- what a person reads, rendered in Vietnamese in a process of its own (help and key texts are
  translated at import): the help of every command, the main outputs and error messages of
  the CLI, and every screen, dialog, help and palette of the terminal UI hold no identifier
  (`office_member`, `user.add`) and none of the English words that used to leak.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import as_person

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402  (scripts/i18n.py)

SEED = ROOT / "seed" / "plan-2022.toml"
COORDINATOR = "nhungtth"  # logins that are no English word, so they cannot hide a leftover

#: English that reached Vietnamese readers before, as whole words or phrases.
LEFTOVERS = (
    "Usage:", "Options", "Commands", "Show this message", "Show the version", "Error:", "Try '",
    "for help", "Focus Next", "Focus Previous", "Copy selected text", "palette", "Quit",
    "Search for commands", "No matches", "Dismiss menu", "Show menu", "Theme", "Keys",
    "Screenshot", "Maximize", "Minimize", "default:", "required", "flag", "environment",
    "default", "method", "sum", "tasks", "threshold", "condition", "manual", "document",
    "note", "link", "percent", "integer", "office member", "coordinator", "viewer", "by",
    "added", "accepted", "rejected", "submitted", "withdrawn", "awaiting review", "marked done",
    "in progress", "not started", "overdue", "status", "progress", "Reading", "Evidence",
    "Task", "criterion", "Criterion", "changed", "edited", "state", "loaded", "seed file",
    "OPTIONS", "COMMAND", "ARGS", "TEXT", "INTEGER", "FILE", "DATE", "CODE", "TARGET",
    "EVIDENCE_ID", "LOGIN", "YEAR", "DAYS", "VALUE", "bytes", "yes",
)
#: Identifiers: snake_case words, and dotted action names of the change log.
IDENTIFIER = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])|"
                        r"(?<![\w.])(?:task|evidence|user|reading|plan|office|criterion|indicator)"
                        r"\.[a-z_]+(?![\w])")


@functools.cache
def _data_codes() -> frozenset[str]:
    """Codes a person types because the plan defines them (indicators), and the names of the
    config file's settings: shown as written, in any language."""
    from planner.config import SETTINGS

    seed = tomllib.loads(SEED.read_text(encoding="utf-8"))
    codes = {i["code"] for i in seed.get("indicators", [])}
    return frozenset(codes | set(SETTINGS) | {"smtp_"})  # "smtp_*" in the help of `report weekly`


def _masked(text: str) -> str:
    """The text without what is typed rather than read: option names (`--as-of`), choice lists
    (`[table|json]`), quoted codes (`'table'`), paths and addresses, key names."""
    text = re.sub(r"\bplanner(?: [a-z][a-z-]*)*", " ", text)  # commands are typed
    text = re.sub(r"^\s{2}[a-z][a-z-]*(?=\s{2})", " ", text)  # the list of commands in --help
    text = re.sub(r"--?[\w-]+", " ", text)
    text = re.sub(r"[\[{][\w|-]+[\]}]", " ", text)
    text = re.sub(r"'[\w./@-]*'", " ", text)
    text = re.sub(r"(?:https?://|/)[^\s)]+", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\b(?:ctrl|shift|super|tab|esc|escape|enter|home|end|pgup|pgdn|space)\b", " ", text)
    codes = "|".join(re.escape(c) for c in sorted(_data_codes(), key=len, reverse=True) if "_" in c)
    return re.sub(rf"(?<![\w.])(?:{codes})(?:\*|\w*…)?(?![\w])", " ", text)


def leftovers(text: str) -> list[str]:
    masked = _masked(text)
    codes = _data_codes()
    # A code cut by a dialog drawn over it is still the code.
    found = [m.group(0) for m in IDENTIFIER.finditer(masked)
             if not any(c.startswith(m.group(0)) for c in codes)]
    for phrase in LEFTOVERS:
        if re.search(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", masked):
            found.append(phrase)
    return found


def test_the_detector_finds_what_used_to_leak() -> None:
    """The check below can fail: each line a Vietnamese reader used to see is caught."""
    seen = [
        "Usage: planner tasks [OPTIONS]", "  -h, --help  Show this message and exit.",
        "03/12/2026 10:21  root  root user.add", "Vai trò: office_member",
        "T03 thêm minh chứng (state: submitted → accepted)", "phương pháp sum, tối đa 7,00",
        "db  plan.db  flag", " tab  Focus Next ", "^p palette",
    ]
    for line in seen:
        assert leftovers(line), line
    assert leftovers("Mã  plan_completion  1.1.2  tự tính\nT04@2022-03-15  --as-of NGÀY") == []


# ----------------------------------------------------------------------------- the catalog


def _english_words(text: str) -> list[str]:
    text = re.sub(r"\{[^}]*\}|%\([^)]*\)[sd]|`[^`]*`|--?[\w-]+", " ", text)
    return [w for w in re.findall(r"(?<!\w)[A-Za-z]{3,}(?!\w)", text) if not w.isupper()]


def test_no_message_is_left_in_english() -> None:
    untouched = []
    for message in i18n.load_po():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text in ids and _english_words(text):
                untouched.append(text)
    assert untouched == []


def _click_source_messages() -> set[str]:
    from babel.messages.extract import extract_from_file

    found = set()
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        if path.name in ("testing.py", "_compat.py", "_winconsole.py", "_utils.py", "__init__.py"):
            continue  # not shown to planner's users (tests, Windows consoles, internals)
        for _line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords={"_": None, "ngettext": (1, 2)}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_click_is_in_the_catalog() -> None:
    from planner.cli.click_i18n import CLICK_MESSAGES, CLICK_PLURALS

    ours = set(CLICK_MESSAGES) | {singular for singular, _plural in CLICK_PLURALS}
    missing = sorted(_click_source_messages() - ours - {"d"})  # "d": a format spec, not a word
    assert missing == [], "add them to planner/cli/click_i18n.py and translate them"


def _commands() -> Iterable[tuple[str, click.Command]]:
    from planner.cli import cli

    def walk(command: click.Command, path: str) -> Iterable[tuple[str, click.Command]]:
        yield path, command
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, f"{path} {name}")

    return walk(cli, "planner")


def test_every_placeholder_of_the_commands_can_be_translated() -> None:
    from planner.cli.click_i18n import METAVARS, bare_metavar

    unknown = []
    for path, command in _commands():
        ctx = click.Context(command)
        for param in command.params:
            if isinstance(param, click.Option) and param.is_flag:
                continue
            word = bare_metavar(param, ctx)
            if word is not None and word not in METAVARS:
                unknown.append(f"{path} {param.name}: {word}")
    assert unknown == [], "name the placeholder in planner/cli/click_i18n.py METAVARS"


def _textual_classes() -> set[type]:
    """Every Textual class whose bindings planner's screens can show: the ones planner's TUI
    modules import or subclass, and the parts of those that have bindings of their own."""
    import importlib
    import pkgutil

    from textual.command import CommandInput, CommandList
    from textual.dom import DOMNode
    from textual.widgets import Footer, Tabs
    from textual.widgets._select import SelectOverlay

    import planner.tui

    found: set[type] = {CommandInput, CommandList, Footer, Tabs, SelectOverlay}
    for info in pkgutil.walk_packages(planner.tui.__path__, "planner.tui."):
        for obj in vars(importlib.import_module(info.name)).values():
            if isinstance(obj, type) and issubclass(obj, DOMNode):
                found.update(c for c in obj.__mro__
                             if c.__module__.startswith("textual") and issubclass(c, DOMNode))
    return found


def test_every_key_description_of_textual_is_in_the_catalog() -> None:
    from planner.tui.textual_i18n import TEXTUAL_MESSAGES

    missing = set()
    for cls in _textual_classes():
        for bindings in cls._merge_bindings().key_to_bindings.values():  # type: ignore[attr-defined]
            missing.update(b.description for b in bindings
                           if b.description and b.description not in TEXTUAL_MESSAGES)
    assert sorted(missing) == [], "add them to planner/tui/textual_i18n.py and translate them"


# ----------------------------------------------------------------------------- rendered in Vietnamese


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from planner.cli import cli

    path = tmp_path_factory.mktemp("language") / "sample.db"
    with as_person(COORDINATOR):
        result = CliRunner().invoke(cli, ["--db", str(path), "seed", "load", str(SEED)],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def _probe(kind: str, db: Path, home: Path) -> dict[str, str]:
    out = db.with_name(f"{kind}.json")
    env = {**os.environ, "PLANNER_LANG": "vi", "LANG": "vi_VN.UTF-8", "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "PYTHONPATH": str(ROOT), "PROBE_PERSON": COORDINATOR}
    env.pop("PLANNER_DB", None)
    env.pop("PLANNER_USER", None)
    done = subprocess.run([sys.executable, "-m", "tests.language_probe", kind, str(db), str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    seen: dict[str, str] = json.loads(out.read_text(encoding="utf-8"))
    return seen


def _problems(seen: dict[str, str]) -> list[str]:
    problems = []
    for what, text in seen.items():
        for line in text.splitlines():
            found = leftovers(line)
            if found:
                problems.append(f"{what}: {found}: {line.strip()}")
    return problems


def test_the_command_line_speaks_vietnamese(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    db.write_bytes(sample.read_bytes())
    seen = _probe("cli", db, tmp_path / "home")
    assert len([k for k in seen if k.endswith("--help")]) > 50
    assert "Cách dùng: planner task done [TÙY-CHỌN] MÃ" in seen["task done --help"]
    assert "In hướng dẫn này rồi thoát." in seen["--help"]
    assert "Minh chứng #19 (T30) được chấp nhận" in seen["log"]
    assert _problems(seen) == []


def test_the_terminal_ui_speaks_vietnamese(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "tui.db"
    db.write_bytes(sample.read_bytes())
    seen = _probe("tui", db, tmp_path / "home")
    assert "Chuyển tới ô kế tiếp" in seen["dashboard help"]  # Textual's tab, translated
    assert "bảng lệnh" in seen["dashboard"]  # the palette key in the key bar
    assert "Tìm lệnh…" in seen["dashboard palette"]
    # Textual's own commands come after planner's, below the fold: found by searching.
    assert "Giao diện màu" in seen["palette theme"]
    assert "Không tìm thấy" in seen["palette no match"]
    assert "Nhấn ^q để thoát planner." in seen["quit hint"]
    assert _problems(seen) == []
