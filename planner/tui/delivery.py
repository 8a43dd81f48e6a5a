"""Files handed to Textual's `App.deliver_binary`, written as the bytes they are.

Textual (8.2.8, the pinned version) saves a delivered file in its driver, in a thread, then
posts DeliveryComplete (with the full path) or DeliveryFailed to the app. In a terminal its
`Driver.deliver_binary` opens the target with an encoding even in binary mode, which Python
refuses, and treats anything that is not an instance of `typing.BinaryIO` (an open file, a
BytesIO) as text: a PDF cannot be delivered at all (tests/tui/test_report_preview.py shows it).
`binary_safe` gives one driver a `deliver_binary` that writes bytes as bytes (text, such as
Textual's own screenshots, encoded) and reports through the same two events.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import MethodType
from typing import IO, Any

from textual.driver import Driver


def _deliver(self: Driver, binary: IO[Any], *, delivery_key: str, save_path: Path,
             open_method: str = "download", encoding: str | None = None,
             mime_type: str | None = None, name: str | None = None) -> None:
    def save() -> None:
        try:
            with open(save_path, "wb") as target:
                while chunk := binary.read(64 * 1024):
                    target.write(chunk.encode(encoding or "utf-8") if isinstance(chunk, str) else chunk)
        except Exception as error:  # any failure goes back to the app as DeliveryFailed
            self._delivery_failed(delivery_key, exception=error, name=name)
        else:
            self._delivery_complete(delivery_key, save_path=save_path, name=name)
        finally:
            binary.close()

    threading.Thread(target=save, name="planner-delivery", daemon=True).start()


def binary_safe(driver: Driver) -> None:
    """Make `driver` write delivered files as bytes (once; the web driver is left alone)."""
    from textual.drivers.web_driver import WebDriver

    if isinstance(driver, WebDriver) or getattr(driver, "_planner_binary_safe", False):
        return
    driver.deliver_binary = MethodType(_deliver, driver)  # type: ignore[method-assign]
    driver._planner_binary_safe = True  # type: ignore[attr-defined]
