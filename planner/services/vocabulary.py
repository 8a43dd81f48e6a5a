"""The words people read and type for planner's codes (statuses, roles, scoring methods, kinds
of evidence): one translated label per code, and a reader that takes any of them back.

Commands and screens show these labels, never the codes; `--format json` keeps the codes.
A status is accepted as its code (`not_started`) or as the words either language shows
(`not started`, `chưa thực hiện`), in any case, with or without diacritics.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain.text import fold
from planner.i18n import N_, SUPPORTED, _, translate_to

#: Task statuses (and the derived `overdue`) in the words of the task list. The same
#: messages as the explanation lines (`planner.domain.explanations.Words`), so the catalog
#: holds one term for each.
STATUS_WORDS: dict[str, str] = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "paused": N_("paused"),
    "cancelled": N_("cancelled"),
    "overdue": N_("overdue"),
}

ROLE_WORDS: dict[str, str] = {
    "coordinator": N_("coordinator"),
    "office_member": N_("office member"),
    "viewer": N_("viewer"),
    "unknown": N_("unknown user"),
}

METHOD_WORDS: dict[str, str] = {
    "sum": N_("sum of its sub-criteria"),
    "tasks": N_("delivery of its tasks"),
    "threshold": N_("indicator against bands"),
    "condition": N_("yes/no condition"),
    "manual": N_("points entered by hand"),
}

#: Units of indicators.
UNIT_WORDS: dict[str, str] = {
    "percent": N_("percent"),
    "count": N_("count"),
    "ratio": N_("ratio"),
}

#: Review states of evidence, as the evidence lists show them.
STATE_WORDS: dict[str, str] = {
    "submitted": N_("awaiting review"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
}

KIND_WORDS: dict[str, str] = {
    "document": N_("document"),
    "file": N_("file"),
    "link": N_("link"),
    "note": N_("note"),
}


def _label(words: dict[str, str], code: str) -> str:
    message = words.get(code)
    return _(message) if message is not None else code.replace("_", " ")


def status_label(status: str) -> str:
    return _label(STATUS_WORDS, status)


def role_label(role: str) -> str:
    return _label(ROLE_WORDS, role)


def method_label(method: str) -> str:
    return _label(METHOD_WORDS, method)


def kind_label(kind: str) -> str:
    return _label(KIND_WORDS, kind)


def state_label(state: str) -> str:
    return _label(STATE_WORDS, state)


def unit_label(unit: str) -> str:
    return _label(UNIT_WORDS, unit)


def target_label(target: str) -> str:
    """An evidence target as people read it: a task key as is, `criterion 1.1.3` (the form
    scripts get) in the reader's words."""
    if target.startswith("criterion "):
        return _("criterion {code}").format(code=target.removeprefix("criterion "))
    return target


def _spellings(code: str, message: str | None) -> set[str]:
    forms = {code}
    if message is not None:
        forms.update(translate_to(lang, message) for lang in SUPPORTED)
    return {_plain(f) for f in forms}


def _plain(text: str) -> str:
    return fold(text.replace("_", " ").replace("-", " "))


def code_from_words(text: str, words: dict[str, str], choices: Iterable[str] | None = None) -> str | None:
    """The code among `choices` (default: every code of `words`) that `text` names, as its
    code or in the words of either language, or None."""
    wanted = _plain(text)
    for code in choices if choices is not None else words:
        if wanted in _spellings(code, words.get(code)):
            return code
    return None


def status_from_words(text: str, choices: Iterable[str]) -> str | None:
    """The status code among `choices` that `text` names, or None."""
    return code_from_words(text, STATUS_WORDS, choices)
