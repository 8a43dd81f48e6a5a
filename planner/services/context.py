"""What every service call needs: the database, who is acting, and what "today" is."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date

from planner.domain.schedule import WorkCalendar
from planner.io.files import FileLimits
from planner.store.db import Database

DEFAULT_MAX_ATTACHMENT = 25 * 1024 * 1024


def current_login() -> str:
    """The acting user: PLANNER_USER for scripts, else the operating-system login."""
    explicit = os.environ.get("PLANNER_USER")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still a stable identity
        return "unknown"


@dataclass
class Context:
    db: Database
    actor: str = field(default_factory=current_login)
    today: date = field(default_factory=date.today)
    plan_year: int | None = None
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT
    limits: FileLimits = field(default_factory=FileLimits)
    #: Working days for `+10wd`, with the config's day swaps.
    work: WorkCalendar = field(default_factory=WorkCalendar)
    enforce_permissions: bool = True
