"""What every service call needs: the database, who is acting, and what "today" is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.domain.schedule import WorkCalendar
from planner.io.files import FileLimits
from planner.store.db import Database

DEFAULT_MAX_ATTACHMENT = 25 * 1024 * 1024


def current_login() -> str:
    """The person running this process (see `planner.services.identity`)."""
    from planner.services.identity import system_login

    return system_login()


@dataclass
class Context:
    """`actor` is the user whose rights are used; `real` the person at the keyboard when a
    coordinator acts as `actor` (built by `identity.resolve`); empty means the actor."""

    db: Database
    actor: str = field(default_factory=current_login)
    today: date = field(default_factory=date.today)
    plan_year: int | None = None
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT
    limits: FileLimits = field(default_factory=FileLimits)
    #: Working days for `+10wd`, with the config's day swaps.
    work: WorkCalendar = field(default_factory=WorkCalendar)
    enforce_permissions: bool = True
    real: str = ""

    @property
    def person(self) -> str:
        """The real person at the keyboard."""
        return self.real or self.actor

    @property
    def acting_as(self) -> bool:
        return bool(self.real) and self.real != self.actor

    @property
    def real_actor(self) -> str:
        """For the change log: the person, when they act as someone else (else empty)."""
        return self.real if self.acting_as else ""
