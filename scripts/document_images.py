"""Render the first page of each formal document to PNG for the user guide.

    .venv/bin/python scripts/document_images.py

On the sample plan (a temporary database), in both languages: the weekly status as PDF, the
quarterly reform report as PDF, the same report as a Word file (converted by LibreOffice) and
as HTML printed by Chromium, and the appraisal dossier's index; each first page rendered by
poppler's `pdftoppm` into docs/images/{vi,en}/doc-*.png. Needs the programs `.ci/run`
installs (chromium, libreoffice-writer-nogui, poppler-utils); a document whose program is
missing is skipped with a message. Look at the images before committing them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seed" / "plan-2022.toml"
AS_OF = date(2022, 5, 9)
RESOLUTION = 70  # dots per inch: an A4 page 579 pixels wide


def _png(pdf: bytes, target: Path, work: Path) -> None:
    source = work / f"{target.stem}.pdf"
    source.write_bytes(pdf)
    stem = work / target.stem
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile", "-png",
                    str(source), str(stem)], check=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stem.with_suffix(".png"), target)
    print(f"wrote {target.relative_to(ROOT)}")


def _docx_pdf(data: bytes, work: Path) -> bytes | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("skipped the Word file: LibreOffice (soffice) is not installed")
        return None
    source = work / "report.docx"
    source.write_bytes(data)
    profile = work / f"profile-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   check=True, capture_output=True)
    return (work / "report.pdf").read_bytes()


def _html_pdf(html: str, work: Path) -> bytes | None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        print("skipped the HTML printout: Chromium is not installed")
        return None
    from playwright.sync_api import sync_playwright

    page_file = work / "report.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium))
        page = browser.new_page()
        page.goto(page_file.as_uri())
        data = page.pdf(prefer_css_page_size=True)
        browser.close()
    return data


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (apt-get install poppler-utils)")
        return 1
    from planner.domain.periods import Period
    from planner.i18n import set_language
    from planner.io.dossier import build_dossier, index_document
    from planner.io.seedfile import load_seed_file
    from planner.reports.docx import document_docx
    from planner.reports.html import document_html
    from planner.reports.layout import weekly_document
    from planner.reports.model import build_weekly
    from planner.reports.paper import Paper
    from planner.reports.pdf import document_pdf
    from planner.reports.periodic import build_periodic
    from planner.reports.periodic_layout import periodic_document
    from planner.services.context import Context
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database

    work = Path(tempfile.mkdtemp(prefix="planner-doc-images-"))
    try:
        db, _pinned = open_database(str(work / "sample.db"))
        load_seed(db, load_seed_file(SEED), actor="coordinator")
        ctx = Context(db=db, actor="coordinator", today=AS_OF)
        paper = Paper(number="", signer_for="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
                      signer="Nguyễn Văn Bình", report_to=("Sở Nội vụ thành phố Hải Phòng",))
        quarter_on = date(2022, 3, 18)
        for lang in ("vi", "en"):
            set_language(lang)
            images = ROOT / "docs" / "images" / lang
            weekly = weekly_document(build_weekly(ctx, AS_OF, paper=paper))
            _png(document_pdf(weekly, AS_OF), images / "doc-weekly.png", work)
            quarter = periodic_document(build_periodic(ctx, Period("quarter", 2022, 1),
                                                       on=quarter_on, paper=paper))
            _png(document_pdf(quarter, quarter_on), images / "doc-quarter.png", work)
            if lang == "vi":
                converted = _docx_pdf(document_docx(quarter, quarter_on), work)
                if converted is not None:
                    _png(converted, images / "doc-quarter-docx.png", work)
                printed = _html_pdf(document_html(quarter), work)
                if printed is not None:
                    _png(printed, images / "doc-quarter-html.png", work)
                dossier = index_document(build_dossier(ctx, AS_OF))
                _png(document_pdf(dossier, AS_OF), images / "doc-dossier.png", work)
        db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
