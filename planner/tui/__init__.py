"""The Textual terminal UI: `build_app` in `planner.tui.app` is its only entry point.

Textual paints at most `TEXTUAL_FPS` frames a second (60 by default), and a search keystroke
updates the screen twice: the input, then the list a frame later. At 60 frames that frame is
16.7 ms of every keystroke (search keys answered in a median 43 ms, p95 54 ms at 10,000
tasks); at 120, 8.3 ms (31 ms, p95 42 ms; `scripts/bench_tui.py`, docs/performance.md). Only
changed screens are painted, so an idle app costs nothing more. Set here, before Textual is
imported; a value in the environment wins.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
