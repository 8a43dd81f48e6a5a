"""planner: carry out a department's annual administrative-reform plan and answer for it."""

__version__ = "0.1.0"
