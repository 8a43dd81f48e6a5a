"""scripts/sample_files.py (the guide's sample files and the table writers), for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def sample_files() -> Any:
    if "sample_files" in sys.modules:
        return sys.modules["sample_files"]
    spec = importlib.util.spec_from_file_location("sample_files",
                                                  ROOT / "scripts" / "sample_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sample_files"] = module
    spec.loader.exec_module(module)
    return module
