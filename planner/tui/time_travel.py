"""Where `[` and `]` take the as-of date: a week back or forward, within the plan's dates."""

from __future__ import annotations

from datetime import date, timedelta

WEEK = timedelta(days=7)


def next_as_of(day: date, weeks: int, opened_on: date, starts_on: date | None) -> date:
    """`day` moved by `weeks`, never after `opened_on` (the present the app was opened in: the
    future is not known yet) nor before `starts_on` (the plan's first day, when known).
    Returns `day` itself when it cannot move that way."""
    moved = day + weeks * WEEK
    if weeks > 0:
        return min(moved, max(day, opened_on))
    if starts_on is not None and moved < starts_on:
        return day
    return moved
