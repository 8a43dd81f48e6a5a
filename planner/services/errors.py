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
