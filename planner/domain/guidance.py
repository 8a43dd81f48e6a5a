"""How a criterion is scored, read from the scoring guidance the province publishes with it.

The index states its rules in prose. Four shapes are recognised:

- percentage bands, "100%: 1 điểm; từ 95% đến dưới 100%: 0,5 điểm" -> `threshold` with those
  bands (a band's bound is inclusive, as DESIGN.md says; "trên 90%" is read as 90);
- outcomes with points, "Có: 0,5; Không: 0", "Không có cán bộ bị kỷ luật: 1,5 điểm; bị
  khiển trách: 0,5 điểm; bị cảnh cáo trở lên: 0 điểm" -> `condition` with those outcomes,
  except "đúng hạn: 0,5; chậm: 0,25", which is work delivered on time or late -> `tasks` with
  the late factor 0,25 / 0,5, and parts whose points add up to the maximum ("ban hành kế
  hoạch: 0,5; xử lý kết quả: 0,5" of 1 point) -> `tasks`;
- a survey ("điều tra xã hội học", "khảo sát", "SIPAS", "mức độ hài lòng") -> `manual`;
- anything else -> `tasks`.

The result says why, in words the dry run lists for the coordinator to confirm or override.
Pure: no I/O; numbers use a decimal comma or point.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from planner.domain.text import fold

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_POINTS = re.compile(r"[:=\-–→]\s*" + _NUMBER + r"\s*(?:diem|d\b|đ\b)?|" + _NUMBER + r"\s*diem")
_PERCENT = re.compile(_NUMBER + r"\s*%")
_CLAUSE_SPLIT = re.compile(r"[;\n]+|\.\s+(?=[^\d])")
_SURVEY = ("dieu tra xa hoi hoc", "khao sat", "sipas", "muc do hai long", "chi so hai long",
           "survey")
_ON_TIME = ("dung han", "kip thoi", "dung thoi han", "dung tien do", "on time")
_LATE = ("cham", "muon", "qua han", "tre han", "khong dung han", "late")
_YES = ("co", "dat", "yes", "thuc hien", "da thuc hien", "co thuc hien")
_NO = ("khong", "khong dat", "no", "chua thuc hien", "khong thuc hien", "khong co")


@dataclass(frozen=True)
class Inference:
    """A scoring method read from guidance: the method, its parameters, and why."""

    method: str  # tasks | threshold | condition | manual
    reason: str  # plain words, shown by the dry run ("percentage bands", "outcomes", …)
    bands: tuple[tuple[float, float], ...] = ()  # (bound, points), best band first
    direction: str = "higher"
    outcomes: tuple[tuple[str, str, float], ...] = ()  # (key, label, points), best first
    late_factor: float | None = None


def number(text: str) -> float:
    """"0,5" or "0.5" as a float."""
    return float(text.replace(",", "."))


def parse_points(text: str) -> float | None:
    """Points written in a cell: 1, "0,5", "1,5 điểm", "0.25đ"; None when it is not a number."""
    m = re.fullmatch(r"\s*" + _NUMBER + r"\s*(?:điểm|diem|đ|d)?\s*\.?\s*", text.strip(),
                     re.IGNORECASE)
    return number(m[1]) if m else None


def is_survey(text: str) -> bool:
    f = fold(text)
    return any(word in f for word in _SURVEY)


def infer_method(title: str, guidance: str, max_points: float, *,
                 under_survey: bool = False) -> Inference:
    """The method the guidance of a leaf criterion describes (see the module docstring)."""
    if under_survey or is_survey(title) or is_survey(guidance):
        return Inference("manual", "survey")
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(guidance) if c.strip()]
    bands = _bands(clauses, max_points)
    if bands is not None:
        points, direction = bands
        return Inference("threshold", "percentage bands", bands=points, direction=direction)
    outcomes = _outcomes(clauses, max_points)
    if outcomes is not None:
        late = _late_factor(outcomes)
        if late is not None:
            return Inference("tasks", "on time or late", late_factor=late)
        earning = [p for _k, _l, p in outcomes if p > 0]
        if len(earning) >= 2 and abs(sum(earning) - max_points) <= 1e-9:
            # "plan issued: 0,5; findings handled: 0,5" of 1 point: parts of the work that
            # add up, not alternatives; delivered by tasks.
            return Inference("tasks", "parts adding up")
        return Inference("condition", "outcomes", outcomes=outcomes)
    return Inference("tasks", "no rule recognised")


def _clause_points(clause: str, top: float | None = None) -> float | None:
    """The points a clause gives: "…: 0,5 điểm", "… 1 điểm", "trừ 0,5 điểm" (of the maximum),
    "không được điểm" (0)."""
    f = fold(clause)
    if top is not None and (m := re.search(r"\btru\s+" + _NUMBER, f)):
        return max(0.0, top - number(m[1]))
    if re.search(r"khong (duoc|tinh|cham) diem|khong co diem", f):
        return 0.0
    found = [number(a or b) for a, b in _POINTS.findall(f)]
    return found[-1] if found else None


def _bands(clauses: list[str], top: float) -> tuple[tuple[tuple[float, float], ...], str] | None:
    """(bands, direction) when every clause that carries points states a percentage."""
    higher: list[tuple[float, float]] = []
    lower: list[tuple[float, float]] = []
    counted = 0
    for clause in clauses:
        f = fold(clause)
        percents = [number(p) for p in _PERCENT.findall(f)]
        if not percents:
            if (_clause_points(clause) or 0) > 0:
                return None  # points for something that is not a percentage
            continue
        head = f.split(":")[0] if ":" in f else f
        points = _clause_points(_PERCENT.sub(" ", f) if ":" not in f else ":" + f.split(":", 1)[1])
        if points is None or points > top + 1e-9:
            return None
        counted += 1
        head_percents = [number(p) for p in _PERCENT.findall(head)] or percents
        if re.search(r"\b(tu|tren|lon hon|it nhat|toi thieu)\b|tro len|>=|≥|>", head) \
                or len(head_percents) >= 2:
            higher.append((head_percents[0], points))
        elif re.search(r"\b(duoi|nho hon|khong qua|toi da)\b|tro xuong|<=|≤|<", head):
            lower.append((head_percents[0], points))
        else:  # "100%: 1 điểm", "Đạt 100%: 3 điểm"
            higher.append((head_percents[0], points))
    if counted < 1 or (not higher and not lower):
        return None
    # "dưới 95%: 0 điểm" closes a higher-is-better list: below the last band earns nothing.
    positive_lower = [b for b in lower if b[1] > 0]
    if higher and not positive_lower:
        chosen, direction = higher, "higher"
    elif positive_lower and not higher:
        chosen, direction = positive_lower, "lower"
    else:
        return None
    if direction == "higher":
        chosen = sorted(set(chosen), key=lambda b: b[0], reverse=True)
    else:
        chosen = sorted(set(chosen), key=lambda b: b[0])
    bounds = [b for b, _p in chosen]
    if len(bounds) != len(set(bounds)):
        return None
    earned = [p for _b, p in chosen]
    if any(later > earlier for earlier, later in itertools.pairwise(earned)):
        return None  # a worse bound earning more is not a band list
    earning = tuple(b for b in chosen if b[1] > 0)
    return (earning, direction) if earning else None


def _outcomes(clauses: list[str], top: float) -> tuple[tuple[str, str, float], ...] | None:
    found: list[tuple[str, float]] = []
    for clause in clauses:
        points = _clause_points(clause, top)
        if points is None:
            continue
        if ":" in clause:
            label = clause.split(":", 1)[0]
        else:  # "bị khiển trách trừ 0,5 điểm", "cảnh cáo trở lên không được điểm"
            cut = re.search(r"[,(]?\s*(?:thì\s+)?(?:được|đạt|trừ|không được|không tính|"
                            r"không chấm|không có)?\s*(?:\d+(?:[.,]\d+)?\s*)?điểm",
                            clause, re.IGNORECASE)
            label = clause[:cut.start()] if cut else clause
        label = " ".join(label.strip(" -–+•*,").split())
        if not label or points is None or points > top + 1e-9:
            continue
        found.append((label, points))
    if len(found) < 2:
        return None
    found.sort(key=lambda o: -o[1])
    keys: list[str] = []
    out: list[tuple[str, str, float]] = []
    for label, points in found:
        key = _outcome_key(label, keys)
        keys.append(key)
        out.append((key, label, points))
    return tuple(out)


def _outcome_key(label: str, taken: list[str]) -> str:
    f = fold(label)
    if f in _YES:
        base = "yes"
    elif f in _NO:
        base = "no"
    else:
        words = re.findall(r"[a-z0-9]+", f)
        base = "-".join(words)[:24].strip("-") or "outcome"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _late_factor(outcomes: tuple[tuple[str, str, float], ...]) -> float | None:
    """The late factor when the outcomes are "on time" and "late" (and perhaps "not done")."""
    on_time = [p for _k, label, p in outcomes if _says(label, _ON_TIME) and not _says(label, _LATE)]
    late = [p for _k, label, p in outcomes if _says(label, _LATE)]
    if len(on_time) != 1 or len(late) != 1 or on_time[0] <= 0:
        return None
    others = [o for o in outcomes if o[2] not in (on_time[0], late[0])]
    if any(p > 0 for _k, _l, p in others):
        return None
    return round(late[0] / on_time[0], 4)


def _says(label: str, words: tuple[str, ...]) -> bool:
    f = f" {fold(label)} "
    return any(f" {w} " in f for w in words)


def method_parameters(method: str, max_points: float,
                      inference: Inference | None) -> dict[str, object]:
    """The parameters stored with a leaf of this method (criterion.params): what the guidance
    stated when it described this method, else the defaults (a condition without stated
    outcomes is yes = the maximum, no = 0; a threshold without bands has none yet)."""
    said = inference if inference is not None and inference.method == method else None
    if method == "tasks":
        late = said.late_factor if said is not None else None
        return {"late_factor": late if late is not None else 0.5, "mode": "share"}
    if method == "threshold":
        params: dict[str, object] = {"bands": [list(b) for b in said.bands] if said else []}
        if said is not None and said.direction != "higher":
            params["direction"] = said.direction
        return params
    if method == "condition":
        if said is not None:
            return {"outcomes": [{"key": k, "label": label, "points": p}
                                 for k, label, p in said.outcomes]}
        return {"outcomes": [{"key": "yes", "label": "Có", "points": max_points},
                             {"key": "no", "label": "Không", "points": 0.0}]}
    return {}
