"""The Textual terminal UI: `build_app` in `planner.tui.app` is its only entry point."""
