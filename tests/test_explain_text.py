"""`planner explain` lets a reader redo the sum: the header adds up as printed, every line is
whole when piped, nothing after the as-of date is shown, no internal identifier is printed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from planner.presentation.explain import shown_parts
from planner.presentation.text import render_table, wrap_words
from tests.conftest import Cli

HEADER = re.compile(
    r"secured (\d+\.\d\d) \+ at risk (\d+\.\d\d) \+ lost (\d+\.\d\d) \+ open (\d+\.\d\d) = "
    r"(\d+\.\d\d)"
)


@given(st.lists(st.floats(0, 60, allow_nan=False), min_size=1, max_size=4))
def test_shown_parts_add_up_to_the_total_as_shown(values: list[float]) -> None:
    total = sum(values)
    shown = shown_parts(values, total)
    assert round(sum(shown) * 100) == round(total * 100)
    for value, part in zip(values, shown, strict=True):
        assert abs(value - part) < 0.01 + 1e-9


def test_shown_parts_of_a_sample_criterion() -> None:
    # 13.375 + 42.625 = 56: rounded one by one they would print 13.38 + 42.63 = 56.01.
    assert shown_parts([13.375, 0, 0, 42.625], 56) == [13.38, 0, 0, 42.62]


def test_wrap_keeps_every_word() -> None:
    text = "shortfall to the maximum 3: at risk until the plan closes on 31/12/2022"
    lines = wrap_words(text, 20)
    assert " ".join(lines) == text
    assert all(len(line) <= 20 for line in lines)
    table = render_table(["Input", "Rule"], [["x", text]], flex=1, width=30, wrap=True)
    assert "…" not in table and "31/12/2022" in table


def explain(cli: Cli, code: str, as_of: str) -> str:
    result = cli("explain", code, "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return result.stdout


def criteria_codes(cli: Cli) -> list[str]:
    import json

    codes: list[str] = []

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            codes.append(node["code"])
            walk(node["children"])

    walk(json.loads(cli("score", "--format", "json").stdout)["criteria"])
    return codes


def test_every_header_adds_up_and_no_identifier_leaks(seeded: Cli) -> None:
    codes = criteria_codes(seeded)
    import json

    # Indicator codes are the plan's own names for its indicators (`reading add ontime_rate`).
    indicator_codes = {i["code"] for i in json.loads(seeded("indicators", "--format", "json").stdout)}
    for as_of in ("05/04/2022", "09/05/2022", "10/01/2023"):
        for code in codes:
            text = explain(seeded, code, as_of)
            match = HEADER.search(text)
            assert match, text
            parts = [float(x) for x in match.groups()]
            assert round(sum(parts[:4]) * 100) == round(parts[4] * 100), (code, as_of, parts)
            # No internal name of a part, method or status reaches the reader.
            words = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text)) - indicator_codes
            assert not words, (code, as_of, words)
            assert "method " not in text


def test_piped_explain_prints_every_rule_whole(seeded: Cli) -> None:
    # CliRunner's output is not a terminal and COLUMNS is not set: nothing may be cut.
    text = explain(seeded, "1.2.1", "09/05/2022")
    assert "…" not in text
    assert (
        "done 14/03/2022, due 15/03/2022, evidence accepted: on time, open until every "
        "occurrence is done on time and accepted" in text
    )


def test_nothing_after_the_as_of_date_is_shown(seeded: Cli) -> None:
    # The sample's on-time readings are dated 31/01, 28/02, 31/03 and 30/04/2022.
    text = explain(seeded, "3.3.1", "15/03/2022")
    assert "28/02/2022" in text
    assert "31/03/2022" not in text and "30/04/2022" not in text
    assert "after the as-of date" not in text
    # The reading is shown as counted: numerator and denominator.
    assert "698/708 = 98.59%" in text
