"""Shared by the report tests: the sample's date, golden files, and the SMTP recorder.

Set PLANNER_UPDATE_GOLDEN=1 to rewrite the golden files from the current output (then read
the diff before committing it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"
GOLDEN = Path(__file__).parent / "golden"
AS_OF = date(2022, 5, 9)
HOSTILE = "<script>alert(1)</script> =cmd|' /C calc'!A0"


#: The change log's anchor (entry:hash) printed at the end of a weekly report: its hash covers
#: the times entries were written, so golden files hold a placeholder.
ANCHOR = re.compile(r"\b\d+:[0-9a-f]{16}\b")


def check_golden(name: str, actual: str) -> None:
    actual = ANCHOR.sub("ENTRY:FINGERPRINT", actual)
    path = GOLDEN / name
    if os.environ.get("PLANNER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with PLANNER_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file; if the change is intended, rerun with "
        "PLANNER_UPDATE_GOLDEN=1 and review the diff"
    )


# --------------------------------------------------------------------------- SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message and refuses the addresses in `refuse`."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    @property
    def delivered(self) -> list[str]:
        return [r for m in self.messages for r in m.rcpt_tos]


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: Recorder
    logins: list[tuple[str, str]]

    def env(self, **extra: str) -> dict[str, str]:
        return {"PLANNER_SMTP_HOST": self.host, "PLANNER_SMTP_PORT": str(self.port),
                "PLANNER_SMTP_SECURITY": "none", "PLANNER_MAIL_FROM": "cchc@example.org", **extra}


