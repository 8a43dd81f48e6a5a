"""The CLI reference in docs/ names every command and option."""

from __future__ import annotations

import re
from pathlib import Path

import click

from planner.cli import cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def commands(command: click.Command, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, command)]
    if isinstance(command, click.Group):
        with click.Context(command) as ctx:
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{' '.join(path)} {name} does not load"
                out.extend(commands(sub, (*path, name)))
    return out


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = []
    for path, command in commands(cli, ("planner",)):
        name = " ".join(path)
        heading = re.search(rf"^#+ `{re.escape(name)}`$", text, re.MULTILINE)
        if heading is None:
            missing.append(name)
            continue
        section = text[heading.end():].split("\n#", 1)[0]
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-") and opt not in section:
                    missing.append(f"{name} {opt}")
    assert not missing, "run python scripts/cli_reference.py; missing: " + ", ".join(missing)


def test_every_lazily_loaded_command_is_the_one_its_name_says() -> None:
    from planner.cli import LAZY_COMMANDS

    with click.Context(cli) as ctx:
        for name in LAZY_COMMANDS:
            command = cli.get_command(ctx, name)
            assert isinstance(command, click.Command) and command.name == name, name
