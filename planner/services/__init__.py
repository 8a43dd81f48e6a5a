"""Use cases shared by the command line, the TUI and the reports."""
