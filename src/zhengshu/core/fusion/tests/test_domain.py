"""The review queue's rule, pure: which clusters a person is asked to look at."""

from __future__ import annotations

import polars as pl

from zhengshu.core.fusion.domain import review_queue


def _members(rows: list[tuple[str, str, float | None]]) -> pl.DataFrame:
    """Members of clusters: (id, link, match_weight), one row each."""
    return pl.DataFrame(
        [{"id": cid, "source": "s", "row": n, "hash": str(n), "dup": 0, "link": link, "match_weight": weight}
         for n, (cid, link, weight) in enumerate(rows, start=1)],
        schema={"id": pl.String, "source": pl.String, "row": pl.Int64, "hash": pl.String, "dup": pl.Int64,
                "link": pl.String, "match_weight": pl.Float64})


MEMBERS = _members([
    ("A", "身份证号", None), ("A", "概率匹配", 5.0),  # a weak probabilistic link
    ("B", "身份证号", None), ("B", "概率匹配", 20.0),  # a strong one
    ("C", "身份证号", None), ("C", "整簇匹配", None),  # a whole-cluster match
    ("D", "身份证号", None), ("D", "整簇匹配(异名)", None),  # a link the registry marks doubtful
    ("E", "整簇匹配(异名)", None),  # alone: nothing to review
])


def test_by_default_weak_links_and_whole_cluster_matches_are_queued() -> None:
    assert review_queue(MEMBERS, 8.0, {})["id"].to_list() == ["A", "C"]


def test_a_registry_names_the_link_kinds_it_doubts() -> None:
    queue = review_queue(MEMBERS, 8.0, {}, ("整簇匹配(异名)",))
    assert queue["id"].to_list() == ["A", "D"]
    assert review_queue(MEMBERS, 30.0, {}, ())["id"].to_list() == ["A", "B"]


def test_a_confirmed_cluster_leaves_the_queue_until_it_changes() -> None:
    queue = review_queue(MEMBERS, 8.0, {})
    done = {"A": queue.filter(pl.col("id") == "A")["fingerprint"].item()}
    assert review_queue(MEMBERS, 8.0, done)["id"].to_list() == ["C"]
    assert review_queue(MEMBERS, 8.0, {"A": "an older fingerprint"})["id"].to_list() == ["A", "C"]
