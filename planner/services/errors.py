"""Errors a person can act on, each with the exit code of DESIGN.md's conventions."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    CONFLICT = 3
    PERMISSION_DENIED = 4
    DELIVERY_FAILED = 5


class PlannerError(Exception):
    """A failure explained in words for the user; `message` is already translated."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(PlannerError):
    """Bad input: an unknown code, an impossible date, a value out of range."""


class NotFound(InputError):
    """A code, id or office that does not exist."""


class ConflictError(PlannerError):
    """The record changed since the user read it."""

    exit_code = ExitCode.CONFLICT


class PermissionDenied(PlannerError):
    exit_code = ExitCode.PERMISSION_DENIED


class DeliveryError(PlannerError):
    exit_code = ExitCode.DELIVERY_FAILED


class CheckFailed(PlannerError):
    exit_code = ExitCode.CHECK_FAILED


def from_database_error(exc: BaseException) -> PlannerError | None:
    """The PlannerError a database failure means to a person, if it means one: a concurrent
    change lost (exit 3), a login the server refused or a right it denied (exit 4). None for
    a database that cannot be reached or used at all (exit 2)."""
    from planner.i18n import _

    name = type(exc).__name__
    orig = getattr(exc, "orig", None)
    detail = (str(orig if orig is not None else exc).strip().splitlines() or [""])[-1]
    detail = detail.replace("FATAL:", "").strip()
    if name == "StaleDataError":
        return ConflictError(_("Someone else changed the same record at the same time; "
                               "nothing was written: reload and try again."))
    state = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig if orig is not None else exc)
    if state == "40001" or "could not serialize access" in text:
        return ConflictError(_("Someone else changed the same record at the same time; "
                               "nothing was written: reload and try again."))
    if "password authentication failed" in text:
        return PermissionDenied(_(
            "The database server refused the login: wrong password, or the password has "
            "expired ({detail}). Nothing was written.").format(detail=detail))
    if "is not permitted to log in" in text:
        return PermissionDenied(_(
            "The database server refused the login: the login role is disabled (it was "
            "removed from planner) ({detail}). Nothing was written.").format(detail=detail))
    if "role" in text and "does not exist" in text and state in ("28000", ""):
        return PermissionDenied(_(
            "The database server refused the login: no such login role ({detail}). "
            "Nothing was written.").format(detail=detail))
    if state == "42501" or "permission denied" in text or "row-level security" in text:
        return PermissionDenied(_(
            "Permission denied by the database server ({detail}). Nothing was written.").format(
            detail=detail))
    return None
