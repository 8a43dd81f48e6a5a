"""Helpers of the TUI tests."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.app import App
from textual.pilot import Pilot


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio (no pytest plugin needed); fixtures pass through."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot: Pilot[Any], rounds: int = 40) -> None:
    """Wait until no worker runs and every message they posted has been handled."""
    app: App[Any] = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return
    raise AssertionError("the app's workers did not settle")


def screen_text(app: App[Any]) -> str:
    """The screen as plain text, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
