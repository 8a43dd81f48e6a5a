"""planner.domain.criterion_params: the one codec of a criterion's method parameters. What the
seed loader, the criteria import and the admin services write, scoring reads back the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.domain import criterion_params as cp
from planner.domain.facts import Band, CriterionRule, Outcome

points = st.floats(min_value=0, max_value=10, allow_nan=False).map(lambda x: round(x, 2))
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=12)


@given(
    method=st.sampled_from([*cp.METHODS, "sum"]),
    late_factor=st.floats(min_value=0, max_value=1, allow_nan=False),
    mode=st.sampled_from(cp.MODES),
    bands=st.lists(st.tuples(st.floats(0, 100, allow_nan=False), points), max_size=4),
    when_empty=st.one_of(st.none(), points),
    outcomes=st.lists(st.tuples(words, words, points), max_size=3),
    expected_points=st.one_of(st.none(), points),
)
def test_the_stored_text_scores_as_the_fields_say(
    method: str, late_factor: float, mode: str, bands: list[tuple[float, float]],
    when_empty: float | None, outcomes: list[tuple[str, str, float]],
    expected_points: float | None,
) -> None:
    expected_outcome = outcomes[0][0] if outcomes else None
    params = cp.fields_params(method, late_factor=late_factor, mode=mode, bands=bands,
                              when_empty=when_empty, outcomes=outcomes,
                              expected_outcome=expected_outcome,
                              expected_points=expected_points)
    text = cp.encode(params)
    assert cp.decode(text) == params
    read = cp.rule(code="1.1", title="Tiêu chí", max_points=10, method=method,  # type: ignore[arg-type]
                   params=cp.decode(text))
    own = method if method in cp.METHODS else "sum"
    assert read == CriterionRule(
        code="1.1", title="Tiêu chí", max_points=10, method=own,  # type: ignore[arg-type]
        late_factor=late_factor if method == "tasks" else 0.5,
        mode=mode if method == "tasks" else "share",  # type: ignore[arg-type]
        bands=tuple(Band(b, p) for b, p in bands) if method == "threshold" else (),
        when_empty=when_empty if method == "threshold" else None,
        outcomes=tuple(Outcome(*o) for o in outcomes) if method == "condition" else (),
        expected_outcome=expected_outcome if method == "condition" else None,
        expected_points=expected_points if method == "manual" else None,
    )


def test_an_outcome_is_named_as_the_plan_names_it() -> None:
    params = cp.decode(cp.encode(cp.fields_params(
        "condition", outcomes=[("yes", "Có", 1.0), ("no", "Không", 0.0)])))
    assert cp.outcome_label(params, "yes") == "Có"
    assert cp.outcome_label(params, "maybe") == "maybe"
    assert cp.decode(None) == {} and cp.decode("") == {}


def test_bands_replace_only_the_bands() -> None:
    params = cp.fields_params("threshold", bands=[(90, 1)], when_empty=0.5)
    assert cp.with_bands(params, [(100, 2), (80, 1)]) == {
        "bands": [[100, 2], [80, 1]], "when_empty": 0.5}


def test_one_declaration_of_the_methods() -> None:
    from planner.io import criteria_import, seedfile
    from planner.services import criteria_admin

    assert criteria_admin.METHODS is seedfile.METHODS is criteria_import.METHODS is cp.METHODS


def test_the_loaded_sample_scores_by_the_seed_files_tree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The seed file's criteria, read as the file says and as the loaded plan stores them,
    are the same tree (the seed loader and the facts decode through the one codec)."""
    from dataclasses import replace

    from planner.io.seedfile import criterion_rules, load_seed_file
    from planner.services.facts import load_facts
    from planner.services.plan_load import load_seed
    from planner.services.plans import plan_record
    from planner.services.session import open_database
    from tests.conftest import SEED

    seed = load_seed_file(SEED)
    db, _pinned = open_database(str(tmp_path / "sample.db"))
    try:
        load_seed(db, seed, actor="coordinator")
        with db.reading() as conn:
            stored = load_facts(conn, plan_record(conn)).criteria
    finally:
        db.dispose()

    def plain(rule: CriterionRule) -> CriterionRule:
        # Applicability is the store's own (no seed key): compare the rules alone.
        return replace(rule, children=tuple(plain(k) for k in rule.children))

    assert tuple(map(plain, stored)) == tuple(map(plain, criterion_rules(seed)))


def test_what_a_leaf_lacks_before_it_can_score() -> None:
    assert cp.missing("threshold", {"bands": []}, has_indicator=False) == ["indicator", "bands"]
    assert cp.missing("threshold", {"bands": [[100, 1]]}, has_indicator=True) == []
    one = cp.fields_params("condition", outcomes=[("yes", "Có", 1.0)])
    assert cp.missing("condition", one, has_indicator=False) == ["outcomes"]
    assert cp.missing("tasks", cp.fields_params("tasks"), has_indicator=False) == []
