"""Run planner in a process of its own as a named person: `python -m tests.hostile.as_person
LOGIN ARGS...`. Tests that need a real process (a FIFO that would block, a timeout) cannot use
the in-process identity seam of the test session, so this module sets it in the child."""

from __future__ import annotations

import sys


def main() -> None:
    from planner.cli import cli
    from planner.services import identity

    person, *args = sys.argv[1:]
    with identity.injected(person):
        cli.main(args=args, prog_name="planner")


if __name__ == "__main__":
    main()
