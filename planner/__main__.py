"""`python -m planner` runs the same command as the `planner` script."""

from planner.cli import main

main()
