"""The particulars of a formal document that come from the config file, not from the plan.

Who signs (`doc_signer_for` "KT. GIÁM ĐỐC", `doc_signer_title` "PHÓ GIÁM ĐỐC", `doc_signer`),
the symbol of the number line (`doc_symbol` "BC-SGDĐT"; default: "BC-" and the issuer's part
of the plan's own number, 45/KH-SGDĐT), the recipients (`doc_recipients` for the weekly
status, `doc_report_recipients` and `doc_report_to` for the periodic reports). The number
itself is given when the document is issued (`--number`), or left blank for the clerk to fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.i18n import _
from planner.services.errors import InputError

#: The blank of an unnumbered document: the clerk writes the number in when it is issued.
NUMBER_BLANK = "\u00a0" * 8

DEFAULT_RECIPIENTS = ("Lãnh đạo Sở;", "Các phòng thuộc Sở;", "Lưu: VT.")
DEFAULT_REPORT_RECIPIENTS = ("Như trên;", "Lãnh đạo Sở;", "Các phòng thuộc Sở;", "Lưu: VT.")


@dataclass(frozen=True)
class Paper:
    number: str = ""  # "12": the number given at issue; "" leaves a blank
    symbol: str = ""  # "BC-SGDĐT"; "" derives it from the plan's number
    signer_for: str = ""  # "KT. GIÁM ĐỐC": signing on behalf of the head
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""
    recipients: tuple[str, ...] = DEFAULT_RECIPIENTS
    report_recipients: tuple[str, ...] = DEFAULT_REPORT_RECIPIENTS
    report_to: tuple[str, ...] = ()  # "Kính gửi"; default "Sở Nội vụ" and the plan's place

    def number_line(self, plan_number: str, kind: str = "BC") -> str:
        """"Số: 12/BC-SGDĐT", or "Số:         /BC-SGDĐT" to be filled in."""
        symbol = self.symbol or derive_symbol(plan_number, kind)
        number = self.number.strip() or NUMBER_BLANK
        return f"Số: {number}/{symbol}"

    def addressees(self, place: str) -> tuple[str, ...]:
        if self.report_to:
            return self.report_to
        return (" ".join(("Sở Nội vụ", place)).strip(),)


def derive_symbol(plan_number: str, kind: str = "BC") -> str:
    """The symbol of a report by the issuer of a plan numbered 45/KH-SGDĐT: BC-SGDĐT."""
    _number, _slash, symbol = plan_number.partition("/")
    _plan_kind, dash, issuer = symbol.partition("-")
    return f"{kind}-{issuer.strip()}" if dash and issuer.strip() else kind


def _text(settings: Any, name: str) -> str:
    value = settings.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(_("Setting {name}: expected text, got {value!r}.").format(name=name, value=value))
    return " ".join(value.split())


def _lines(settings: Any, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = settings.get(name)
    if value is None or value == [] or value == "":
        return default
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(_("Setting {name}: expected a list of lines, like [\"Như trên;\", \"Lưu: VT.\"].")
                         .format(name=name))
    return tuple(" ".join(v.split()) for v in value if v.strip())


def paper_from_settings(settings: Any, number: str | None = None) -> Paper:
    """The particulars in force: the config's `doc_*` settings and the number given now."""
    return Paper(
        number=" ".join((number or "").split()),
        symbol=_text(settings, "doc_symbol"),
        signer_for=_text(settings, "doc_signer_for"),
        signer_title=_text(settings, "doc_signer_title") or "GIÁM ĐỐC",
        signer=_text(settings, "doc_signer"),
        recipients=_lines(settings, "doc_recipients", DEFAULT_RECIPIENTS),
        report_recipients=_lines(settings, "doc_report_recipients", DEFAULT_REPORT_RECIPIENTS),
        report_to=_lines(settings, "doc_report_to", ()),
    )
