"""Messages the app sends to every screen."""

from __future__ import annotations

from textual.message import Message


class PlanChanged(Message, bubble=False):
    """Something in the plan changed (a status, evidence, a reading): reload what you show.

    Not bubbling: the app posts it to each screen, and a screen must not pass it back up.
    """
