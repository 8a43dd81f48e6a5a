"""Generate docs/cli.md from the commands' own help.

    python scripts/cli_reference.py          # rewrite docs/cli.md
    python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "docs" / "cli.md"


def walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        with click.Context(command) as ctx:
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    found.extend(walk(sub, [*path, name]))
    return found


def render() -> str:
    from planner.cli import cli
    from planner.i18n import set_language

    set_language("en")
    lines = ["# Command-line reference", "",
             "Generated from the commands' own `--help` by `scripts/cli_reference.py`; "
             "a test fails when a command or option is missing here.", ""]
    for path, command in walk(cli, ["planner"]):
        name = " ".join(path)
        lines.append(f"{'#' * min(2 + len(path) - 1, 4)} `{name}`")
        lines.append("")
        with click.Context(command, info_name=name) as ctx:
            help_text = command.get_help(ctx)
        lines.append("```text")
        lines.extend(line.rstrip() for line in help_text.splitlines())
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python scripts/cli_reference.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
