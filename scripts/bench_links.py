"""How often the suggested criterion is the right one, on the sample plan with its links removed.

    .venv/bin/python scripts/bench_links.py

The sample plan (seed/plan-2022.toml) is loaded into a temporary database; its real links are
read and then deleted, and `planner.services.links.suggest_links` ranks the criteria of every
task that had links. "First" counts the tasks whose first suggestion is one of their real
criteria; "top three" those with one of them among the first three. Measured twice: from the
words alone (the seed's tasks carry no section), and with each task under the section of its
field, as in the sample appendix (docs/samples/appendix-2023.*: a task sits under the field
of its first criterion). `tests/services/test_links.py` keeps both from falling below a floor.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


@dataclass(frozen=True)
class Measure:
    tasks: int
    first: int
    top_three: int

    def line(self, label: str) -> str:
        return (f"{label:<34} {self.tasks} tasks: first {self.first} ({self.first / self.tasks:.0%}), "
                f"top three {self.top_three} ({self.top_three / self.tasks:.0%})")


def measure(db_path: Path, *, sections: bool) -> Measure:
    from datetime import date

    import sample_files
    from sqlalchemy import text

    from planner.io.seedfile import load_seed_file
    from planner.services.context import Context
    from planner.services.links import suggest_links
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database

    seed = load_seed_file(ROOT / "seed" / "plan-2022.toml")
    db, _pinned = open_database(str(db_path))
    load_seed(db, seed, actor="bench")
    truth = {t.code: {code for code, _w in t.criteria} for t in seed.tasks if t.criteria}
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM task_criterion"))
        if sections:
            for t in seed.tasks:
                if t.criteria:
                    field = t.criteria[0][0].split(".")[0]
                    heading = (f"{sample_files.ROMAN[int(field) - 1]}. "
                               f"{sample_files.SECTION_TITLES[field]}")
                    conn.execute(text("UPDATE task SET section = :s WHERE code = :c"),
                                 {"s": heading, "c": t.code})
    ctx = Context(db=db, actor="bench", today=date(2022, 5, 9))
    first = top = 0
    for found in suggest_links(ctx, limit=3):
        if found.code not in truth:
            continue
        codes = [s.criterion for s in found.suggestions]
        first += bool(codes) and codes[0] in truth[found.code]
        top += any(c in truth[found.code] for c in codes)
    db.dispose()
    return Measure(len(truth), first, top)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        words = measure(Path(tmp) / "a.db", sections=False)
        with_sections = measure(Path(tmp) / "b.db", sections=True)
    print(words.line("words (title, product, description):"))
    print(with_sections.line("with the appendix's sections:"))


if __name__ == "__main__":
    main()
