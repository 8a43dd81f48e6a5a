"""Widgets of the planner's screens, one per module."""
