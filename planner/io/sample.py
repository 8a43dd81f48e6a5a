"""Where the sample 2022 plan lives: seed/ in a checkout, or the copy shipped in the package."""

from __future__ import annotations

from pathlib import Path

SAMPLE_NAME = "plan-2022.toml"


def sample_plan_path() -> Path:
    repo_copy = Path(__file__).resolve().parents[2] / "seed" / SAMPLE_NAME
    if repo_copy.exists():
        return repo_copy
    return Path(__file__).resolve().parents[1] / "data" / SAMPLE_NAME
