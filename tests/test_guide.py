"""The user guides in docs/guide/ say only what planner does.

- every `planner ...` command line in their code blocks names a command that exists, with
  options it has and values it accepts (parsed by the real click group, `planner.cli.cli`);
- the commands of their ```console blocks run in order, chapter 01 to 08, on one practice
  database, as a reader types them (their `export` lines set the environment; chapter 02 makes
  the practice copy, chapter 04 imports into a copy of it), and print what the guide quotes
  (exactly in English; in Vietnamese every figure, so the guide can wait for the catalog); a
  line "…" in a quote stands for lines left out, and `# exits N` after a command says the exit
  code it ends with;
- the sample workbook chapter 04 imports is what scripts/sample_workbook.py writes;
- every image they show exists, and the Vietnamese and English guides have the same chapters.

After a deliberate change of output, rewrite the quotes (those without "…") with

    PLANNER_GUIDE_UPDATE=1 .venv/bin/python -m pytest tests/test_guide.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from planner.cli import cli
from tests.conftest import as_person

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
GUIDE = ROOT / "docs" / "guide"
LANGUAGES = ("vi", "en")
SEED = ROOT / "seed" / "plan-2022.toml"
UPDATE = os.environ.get("PLANNER_GUIDE_UPDATE") == "1"
#: The login of the reform coordinator in the guides' stories: the first writer, so coordinator.
COORDINATOR = "nhungtth"
WIDTH = "120"  # what planner assumes when stdout is not a terminal
ELLIPSIS = "…"
SHELL_BLOCKS = ("sh", "bash", "shell", "console", "crontab")
#: Commands a guide's console session runs for real (the rest are only parsed): reads whose
#: output depends on nothing but the database and the dates given, and the writes the stories make.
RUN = {
    ("tasks",), ("task", "show"), ("task", "done"), ("task", "start"), ("task", "pause"),
    ("task", "reopen"), ("task", "edit"), ("evidence", "list"), ("evidence", "show"),
    ("evidence", "add"), ("evidence", "accept"), ("evidence", "reject"), ("evidence", "withdraw"),
    ("explain",), ("score",), ("offices",), ("indicators",), ("report", "due"),
    ("report", "weekly"), ("users", "add"), ("users", "list"), ("users", "set-role"),
    ("reading", "add"), ("criterion", "confirm"), ("criterion", "enter"), ("check",),
    ("evidence", "reopen"), ("reading", "list"), ("reading", "edit"), ("reading", "delete"),
    # The practice copy: made, copied and imported into as the chapters say.
    ("seed", "load"), ("backup",), ("import", "plan"),
    ("whatif",), ("focus",), ("ranking", "import"), ("ranking", "show"),
    ("report", "quarter"), ("report", "half-year"), ("report", "year"),
}
#: Options that make `report weekly` write files or send mail: parsed, never run.
NOT_RUN_OPTIONS = {"--send", "-o", "--output", "--each-office", "--attach-pdf"}


def chapters(lang: str) -> list[Path]:
    return sorted((GUIDE / lang).glob("*.md"))


def all_chapters() -> list[Path]:
    return [p for lang in LANGUAGES for p in chapters(lang)]


def chapter_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# ----------------------------------------------------------------------------- reading the guides


@dataclass
class Block:
    lang: str  # the code block's language
    start: int  # index of the first content line in the file's lines
    lines: list[str]


def code_blocks(text: str) -> Iterator[Block]:
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(`{3,}|~{3,})\s*([\w-]*)", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        yield Block(lang, i + 1, [line[len(indent):] if line.startswith(indent) else line
                                  for line in lines[i + 1:j]])
        i = j + 1


def logical_lines(lines: list[str]) -> list[str]:
    """Lines with backslash continuations joined."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return out


def planner_args(line: str) -> list[str] | None:
    """The arguments after `planner` (or `.venv/bin/planner`, `./dev COMMAND`) in a shell line."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;<>()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError as exc:  # an unclosed quote
        raise AssertionError(f"cannot parse {line!r}: {exc}") from exc
    for i, token in enumerate(tokens):
        name = token.rsplit("/", 1)[-1]
        if token in ("./dev", "dev"):
            rest = _until_operator(tokens[i + 1:])
            if rest and rest[0] in ("demo", "test", "lint"):
                return ["demo", *rest[1:]] if rest[0] == "demo" else None
            return rest
        if name == "planner" and not token.startswith("-"):
            return _until_operator(tokens[i + 1:])
    return None


def _until_operator(tokens: list[str]) -> list[str]:
    out = []
    for token in tokens:
        if token and set(token) <= set("|&;<>()"):
            break
        out.append(token)
    return out


@dataclass
class Command:
    chapter: Path
    line_no: int  # 1-based, in the chapter
    text: str
    args: list[str]
    expected: list[str] | None = None  # the quoted output (console blocks)
    block: Block | None = None
    out_range: tuple[int, int] | None = None  # file line indexes of the quote (start, end)
    user_env: dict[str, str] = field(default_factory=dict)
    person: str | None = None  # who types it: `hainv$ planner …` (default: the coordinator)


def commands_in(path: Path) -> list[Command]:
    found: list[Command] = []
    text = path.read_text(encoding="utf-8")
    for block in code_blocks(text):
        if block.lang not in SHELL_BLOCKS:
            continue
        if block.lang == "console":
            found.extend(_console_commands(path, block))
            continue
        for offset, line in enumerate(logical_lines(block.lines)):
            args = planner_args(line)
            if args is not None:
                found.append(Command(path, block.start + offset + 1, line.strip(), args))
    return found


#: A console prompt: `$ ` typed by the reform coordinator, `hainv$ ` by the person logged in
#: as hainv (planner knows people by their login, so a chapter with two people shows whose
#: prompt it is).
PROMPT = re.compile(r"^(?:([a-z][a-z0-9_.-]*))?\$ ")


def _console_commands(path: Path, block: Block) -> Iterator[Command]:
    current: Command | None = None
    for offset, line in enumerate(block.lines):
        index = block.start + offset
        prompt = PROMPT.match(line)
        if prompt:
            if current is not None:
                yield current
            typed = line[prompt.end():]
            args = planner_args(typed)
            current = Command(path, index + 1, typed.strip(), args or [], expected=[],
                              block=block, out_range=(index + 1, index + 1),
                              person=prompt.group(1))
            if args is None:
                current.args = []
            current.user_env = _env_prefix(typed)
            continue
        if current is not None and current.expected is not None and current.out_range is not None:
            current.expected.append(line)
            current.out_range = (current.out_range[0], index + 1)
    if current is not None:
        yield current


def _env_prefix(line: str) -> dict[str, str]:
    env = {}
    for token in line.split():
        if "=" in token and re.match(r"^[A-Z_][A-Z0-9_]*=", token):
            key, value = token.split("=", 1)
            env[key] = value
        else:
            break
    return env


# ----------------------------------------------------------------------------- parsing with click


def resolve(args: list[str]) -> tuple[tuple[str, ...], click.Command, click.Context]:
    """Parse `args` as the shell would hand them to `planner`; raises click's errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Context.protected_args (click 8.2+)
        ctx = cli.make_context("planner", list(args))
        command: click.Command = cli
        path: list[str] = []
        while isinstance(command, click.Group):
            rest = [*ctx.protected_args, *ctx.args]
            if not rest:
                break
            name, sub, remaining = command.resolve_command(ctx, rest)
            assert name is not None and sub is not None
            path.append(name)
            ctx = sub.make_context(name, remaining, parent=ctx)
            command = sub
        return tuple(path), command, ctx


def test_the_guides_exist_in_both_languages() -> None:
    vi = {p.name for p in chapters("vi")}
    en = {p.name for p in chapters("en")}
    assert "README.md" in vi and "README.md" in en
    assert vi == en, f"only in vi: {sorted(vi - en)}; only in en: {sorted(en - vi)}"
    assert len(vi) > 1


@pytest.mark.parametrize("chapter", all_chapters(), ids=chapter_id)
def test_every_quoted_command_exists(chapter: Path) -> None:
    problems = []
    for command in commands_in(chapter):
        if not command.args and command.expected is not None:
            continue  # a console line that is not planner (cp, crontab -e ...)
        if "--help" in command.args or "-h" in command.args:
            args = [a for a in command.args if a not in ("--help", "-h")]
        else:
            args = command.args
        try:
            path, target, _ctx = resolve(args)
        except click.exceptions.Exit:
            continue  # --version
        except click.ClickException as exc:
            problems.append(f"{chapter_id(chapter)}:{command.line_no}: `{command.text}`: {exc.format_message()}")
            continue
        if isinstance(target, click.Group) and path and command.args[-1:] != ["--help"]:
            problems.append(f"{chapter_id(chapter)}:{command.line_no}: `{command.text}`: "
                            f"`planner {' '.join(path)}` needs a subcommand")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", all_chapters(), ids=chapter_id)
def test_every_image_exists(chapter: Path) -> None:
    text = chapter.read_text(encoding="utf-8")
    targets = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"<img[^>]+src=\"([^\"]+)\"", text)
    missing = [t for t in targets if not (chapter.parent / t).resolve().is_file()]
    assert not missing, f"{chapter_id(chapter)} shows images that do not exist: {missing}"


@pytest.mark.parametrize("chapter", all_chapters(), ids=chapter_id)
def test_every_link_to_another_page_exists(chapter: Path) -> None:
    text = chapter.read_text(encoding="utf-8")
    targets = [t.split("#", 1)[0] for t in re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)", text)]
    missing = [t for t in targets if t and "://" not in t and not t.startswith("mailto:")
               and not (chapter.parent / t).resolve().exists()]
    assert not missing, f"{chapter_id(chapter)} links to pages that do not exist: {missing}"


# ----------------------------------------------------------------------------- running the stories


def figures(lines: list[str]) -> list[str]:
    """The numbers, dates, codes and document numbers of some lines, in order (decimal comma
    read as a point), so a quote can be checked whatever the language of its words."""
    text = "\n".join(lines)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    return re.findall(r"[A-Za-zĐđ]*\d[\w./@%:-]*", text)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Lines equal, where a line "…" stands for any number of lines."""
    pattern = "".join(r"(?:.*\n)*?" if line.strip() == ELLIPSIS else re.escape(line) + r"\n"
                        for line in expected)
    return re.fullmatch(pattern, "\n".join(actual) + "\n") is not None


def same_figures(expected: list[str], actual: list[str]) -> bool:
    """The quote's figures are the output's: all of them, or in order where "…" leaves lines out."""
    if ELLIPSIS not in [line.strip() for line in expected]:
        return figures(expected) == figures(actual)
    remaining = iter(figures(actual))
    return all(any(f == a for a in remaining) for f in figures(expected))


def clean(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def runnable(command: Command) -> bool:
    if command.expected is None or not command.args:
        return False
    try:
        path, _target, _ctx = resolve(command.args)
    except (click.ClickException, click.exceptions.Exit):
        return False
    if path not in RUN:
        return False
    return not (path == ("report", "weekly") and NOT_RUN_OPTIONS & set(command.args))


#: Where a reader's command line says what exit code it expects: `# exits 2`, `# mã thoát 2`.
EXPECTED_EXIT = re.compile(r"#.*?\b(?:exits?|mã thoát)\s+(\d)")


def exit_as_expected(command: Command, code: int) -> bool:
    """0, unless the quote shows an error (any failure) or the line names its exit code in a
    comment (that code)."""
    if (m := EXPECTED_EXIT.search(command.text)):
        return code == int(m[1])
    failed_on_purpose = any("error:" in line or "lỗi:" in line for line in command.expected or [])
    return (code != 0) == failed_on_purpose


def _export(command: Command) -> dict[str, str]:
    """`export NAME=VALUE` lines of a console session: the environment of what follows."""
    m = re.match(r"^export\s+([A-Z_][A-Z0-9_]*)=(\S+)\s*$", command.text)
    return {m[1]: m[2].strip("'\"")} if m else {}


def _expand(args: list[str], home: Path) -> list[str]:
    """What the shell hands over: `~/x` is the reader's home."""
    return [str(home / a[2:]) if a.startswith("~/") else a for a in args]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_chapters_run_in_order_on_one_practice_database(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console sessions of every chapter, 01 to 08, run in order as a reader would type
    them: the environment their `export` lines set (the practice copy of chapter 02 in
    PLANNER_DB), the databases they name, in the project folder, each printing what the guide
    quotes (exactly in English; in Vietnamese every figure, so the guide can wait for the
    catalog). Nothing is loaded for them: chapter 02 makes the practice copy."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(ROOT)  # seed/plan-2022.toml and docs/samples/ are the reader's paths
    env: dict[str, str] = {}
    runner = CliRunner()
    problems = []
    for chapter in chapters(lang):
        updates = []
        for command in commands_in(chapter):
            if command.expected is None:
                continue
            env.update({k: str(home / v[2:]) if v.startswith("~/") else v
                        for k, v in _export(command).items()})
            if not runnable(command):
                continue
            run_env = {"COLUMNS": WIDTH, "PLANNER_LANG": lang, **env}
            run_env.update({k: v for k, v in command.user_env.items() if k.startswith("PLANNER_")})
            with as_person(command.person or COORDINATOR):
                result = runner.invoke(cli, _expand(command.args, home), env=run_env,
                                       catch_exceptions=False)
            actual = clean(result.output.replace(str(home), "~").split("\n"))
            expected = clean(command.expected or [])
            where = f"{chapter_id(chapter)}:{command.line_no}: `{command.text}`"
            if not exit_as_expected(command, result.exit_code):
                problems.append(f"{where} exited {result.exit_code}:\n" + "\n".join(actual))
                continue
            if not expected and not UPDATE:
                continue
            same = matches(expected, actual) if lang == "en" or UPDATE else same_figures(expected, actual)
            if same:
                continue
            if UPDATE and ELLIPSIS not in [line.strip() for line in expected]:
                updates.append((command, actual))
                continue
            problems.append(f"{where} printed:\n" + "\n".join(actual) + "\n--- the guide quotes:\n"
                            + "\n".join(expected))
        if updates:
            _rewrite(chapter, updates)
    assert not problems, "\n\n".join(problems)


def test_the_sample_workbook_is_what_the_script_writes(tmp_path: Path) -> None:
    """docs/samples/ke-hoach-2023.xlsx, which chapter 04 imports, comes from its script."""
    import sample_workbook  # scripts/sample_workbook.py
    from openpyxl import load_workbook

    fresh = sample_workbook.build(tmp_path / "fresh.xlsx")
    committed, made = load_workbook(sample_workbook.TARGET), load_workbook(fresh)
    assert committed.sheetnames == made.sheetnames
    for old, new in zip(committed.worksheets, made.worksheets, strict=True):
        assert [[c.value for c in row] for row in old.iter_rows()] == \
            [[c.value for c in row] for row in new.iter_rows()], "run python scripts/sample_workbook.py"
        assert sorted(map(str, old.merged_cells.ranges)) == sorted(map(str, new.merged_cells.ranges))


def test_the_guide_says_how_to_reset_the_practice_copy() -> None:
    """The practice copy can be started again with one command, and the guide says which."""
    for lang in LANGUAGES:
        text = (GUIDE / lang / "02-reform-coordinator.md").read_text(encoding="utf-8")
        assert "planner seed load seed/plan-2022.toml --reset" in text


def _rewrite(chapter: Path, updates: list[tuple[Command, list[str]]]) -> None:
    lines = chapter.read_text(encoding="utf-8").split("\n")
    for command, actual in sorted(updates, key=lambda u: -(u[0].out_range or (0, 0))[0]):
        assert command.out_range is not None
        start, end = command.out_range
        # One blank line between a quote and the next command of the same block.
        last = end >= len(lines) or lines[end].strip().startswith(("```", "~~~"))
        lines[start:end] = actual + ([] if last else [""])
    chapter.write_text("\n".join(lines), encoding="utf-8")
