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
        # A worker just started is pending, not running: wait for every one to finish.
        if all(worker.is_finished for worker in app.workers):
            await pilot.pause()
            if all(worker.is_finished for worker in app.workers):
                return
    raise AssertionError("the app's workers did not settle")


def screen_text(app: App[Any]) -> str:
    """The screen as plain text, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def key_bar_overflow(app: App[Any]) -> list[str]:
    """The keys of the key bar that do not fit before the palette key, at the screen's width."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else app.size.width
    return [f"{k.key_display} {k.description}" for k in keys
            if not k.has_class("-command-palette") and (k.region.right > limit or not k.region.width)]
