"""The rank a score would have had in a published ranking (planner.domain.ranking)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.ranking import (
    RankedUnit,
    Ranking,
    competition_ranks,
    estimated_rank,
    find_units,
    infer_part,
)

scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))


@given(st.lists(scores, max_size=30), scores, scores)
def test_a_higher_score_never_ranks_worse(others: list[float], a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert estimated_rank(high, others) <= estimated_rank(low, others)


@given(st.lists(scores, max_size=30), scores)
def test_the_rank_is_one_plus_the_units_strictly_higher(others: list[float], score: float) -> None:
    rank = estimated_rank(score, others)
    assert rank == 1 + len([o for o in others if o > score])
    assert 1 <= rank <= len(others) + 1


@given(st.lists(scores, min_size=1, max_size=30))
def test_published_ranks_from_scores_share_ties_and_skip_after_them(values: list[float]) -> None:
    ranks = competition_ranks(values)
    for score, rank in zip(values, ranks, strict=True):
        assert rank == 1 + sum(1 for v in values if v > score)
        # Equal scores, equal ranks; the best is first.
        assert all(r == rank for v, r in zip(values, ranks, strict=True) if v == score)
    assert min(ranks) == 1


@given(st.lists(scores, min_size=1, max_size=20), scores)
def test_the_estimate_uses_only_the_other_units(others: list[float], ours: float) -> None:
    units = [RankedUnit(f"U{i}", s, 0) for i, s in enumerate(others)]
    ranking = Ranking(2021, "appraised", 56.0, (*units, RankedUnit("Ours", ours, 0, ours=True)))
    # Our own line of last year never competes with our projection.
    assert ranking.estimate(ours) == estimated_rank(ours, others)
    assert ranking.estimate(1000.0) == 1


def test_the_sample_year_and_our_unit() -> None:
    others = [47.85, 47.12, 46.9, 46.41, 46.05, 45.78, 45.3, 44.96, 44.52, 44.18, 43.87, 43.6,
              43.35, 43.02, 42.81, 42.64, 42.4, 42.15, 41.62]
    assert estimated_rank(41.93, others) == 19
    assert estimated_rank(46.05, others) == 5  # a tie with the 5th shares its rank
    assert find_units("SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG",
                      ["Sở Tư pháp", "Sở Giáo dục và Đào tạo", "Sở Y tế"]) == [1]
    assert find_units("so y te", ["Sở Tư pháp", "Sở Y tế"]) == [1]
    assert infer_part(56, 56, 100) == "appraised" and infer_part(100, 56, 100) == "all"
