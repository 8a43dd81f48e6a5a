"""Keep the Vietnamese catalog in step with the source.

    python scripts/i18n.py update    # extract messages, merge them into planner/locale/vi/.../planner.po
    python scripts/i18n.py compile   # compile planner.po into planner.mo (committed, so installs need no Babel)
    python scripts/i18n.py check     # list messages without a Vietnamese translation (exit 1 if any)

Messages are the string literals passed to `_()`, `ngettext()`, `N_()` and `N_plural()` in
planner/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "planner.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "N_plural": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="planner", charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(f"planner/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def load_po() -> Catalog:
    if not PO.exists():
        return Catalog(locale="vi", project="planner", charset="utf-8")
    with PO.open("rb") as fh:
        return read_po(fh, locale="vi")


def update() -> None:
    template = extract()
    catalog = load_po()
    catalog.update(template, no_fuzzy_matching=True)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False, include_previous=False)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages, {len(untranslated(catalog))} untranslated")


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def compile_mo() -> None:
    catalog = load_po()
    with MO.open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)
    print(f"{MO.relative_to(ROOT)} written")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_mo()
    elif command == "check":
        missing = untranslated(load_po())
        source = {m.id for m in extract() if m.id}
        in_po = {m.id for m in load_po() if m.id}
        absent = sorted(str(x) for x in source - in_po)
        for msg in absent:
            print("not in catalog:", msg)
        for msg in missing:
            print("untranslated:", msg)
        return 1 if missing or absent else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
