"""How figures, dates and explanations are written for people: shared by the command line,
the terminal UI and the reports (below all three; no Click, no Textual)."""
