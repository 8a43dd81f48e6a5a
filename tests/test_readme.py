"""The README's "Everyday commands", run in order on a fresh database exactly as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import as_person

ROOT = Path(__file__).resolve().parents[1]


def everyday_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Everyday commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_everyday_commands_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "seed").symlink_to(ROOT / "seed")
    runner = CliRunner()
    outputs = []
    for line in everyday_commands():
        words = shlex.split(line, comments=True)
        assert words[0] == ".venv/bin/planner", line
        person = "lan" if re.search(r"#\s*Lan\b", line) else "nhungtth"  # marked lines are Lan's
        with as_person(person):
            result = runner.invoke(cli, words[1:], env={"COLUMNS": "120"}, catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        outputs.append(result.output)
    added, accepted = outputs[6], outputs[7]
    assert "Evidence 19 submitted for T03" in added
    assert "Evidence 19: accepted." in accepted
    shown = outputs[8]
    assert "done on 12/05/2022" in shown and "#19" in shown and "accepted" in shown
    assert "3.3.1" in outputs[9]
    assert "Evidence #19 (T03) accepted (on 13/05/2022), by coordinator (nhungtth)" in outputs[10]
