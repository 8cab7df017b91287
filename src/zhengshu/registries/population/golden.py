"""Golden records of the population base registry (一数一源): the population's rule table
(`seed/authority.json`, see its `_about`) applied by the generic machinery of `zhengshu.core.fusion.golden`
(authority first, newest fallback, lineage, conflicts), and the golden fields' accuracy against the synthetic
city's truth (for tests and `bench/fusion.py`).

    values = pl.concat([field_values(source, frame, table) for source, frame in sources])
    result = golden_records(link_result.rows, values, table)
"""

from __future__ import annotations

from functools import cache

import polars as pl

from zhengshu.core.fusion.golden import (
    AUTHORITATIVE,
    NEWEST,
    VALUE_SCHEMA,
    AuthorityTable,
    GoldenResult,
    dataset_of,
    load_authority,
    standardised,
)
from zhengshu.core.fusion.golden import field_values as _field_values
from zhengshu.core.fusion.golden import golden_records as _golden_records

__all__ = ["AUTHORITATIVE", "NEWEST", "TRUTH_COLUMNS", "VALUE_SCHEMA", "AuthorityTable", "GoldenResult",
           "authority_table", "dataset_of", "field_values", "golden_accuracy", "golden_records"]


@cache
def authority_table() -> AuthorityTable:
    """The packaged rule table, `seed/authority.json`."""
    return load_authority(__package__ or "zhengshu.registries.population")


def field_values(source: str, frame: pl.DataFrame, table: AuthorityTable | None = None, *,
                 version: str | None = None) -> pl.DataFrame:
    """A source's values of every population field it states (see `core.fusion.golden.field_values`)."""
    return _field_values(source, frame, table or authority_table(), version=version)


def golden_records(linked: pl.DataFrame, values: pl.DataFrame, table: AuthorityTable | None = None) -> GoldenResult:
    """Golden person records (see `core.fusion.golden.golden_records`), by the population's rule table."""
    return _golden_records(linked, values, table or authority_table())


# Golden field → the synthetic city's truth column (truth/people.parquet), for `golden_accuracy`.
TRUTH_COLUMNS = {"name": "name", "id_number": "id_number", "birth_date": "birth_date", "sex": "sex",
                 "household_address": "address", "residence_address": "address", "marital_status": "marital_status",
                 "education": "education", "person_status": "status", "phone": "phone",
                 "insurance_unit_code": "employer_credit_code"}


def golden_accuracy(records: pl.DataFrame, linked: pl.DataFrame, links: pl.DataFrame, people: pl.DataFrame,
                    table: AuthorityTable | None = None) -> pl.DataFrame:
    """Each golden field's accuracy against the synthetic city's truth. A cluster stands for the true person
    most of its rows describe (`links`: source, row, subject_id); `accuracy` = share of clusters with a
    golden value whose value is the true one (standardised alike), `coverage` = share of clusters whose
    person has a true value that got a golden value."""
    table = table or authority_table()
    standardiser = {rule.field: rule.standardiser for rule in table.fields}
    person = (linked.select("source", "row", "cluster").join(links.select("source", "row", "subject_id"),
                                                             on=["source", "row"], how="inner")
              .group_by("cluster").agg(pl.col("subject_id").mode().min().alias("person_id")))
    truth = people.select("person_id", *(
        standardised(people[column].cast(pl.String), standardiser[field]).alias(f"true_{field}")
        for field, column in TRUTH_COLUMNS.items() if field in standardiser))
    both = records.join(person, on="cluster", how="inner").join(truth, on="person_id", how="inner")
    rows = []
    for field in (f for f in TRUTH_COLUMNS if f in standardiser):
        golden, true = pl.col(field), pl.col(f"true_{field}")
        stats = both.select(
            (golden == true).sum().alias("correct"), golden.is_not_null().sum().alias("with_value"),
            (golden.is_not_null() & true.is_not_null()).sum().alias("covered"), true.is_not_null().sum().alias("true"))
        row = stats.row(0, named=True)
        rows.append({"field": field, "clusters": len(both), "with_value": row["with_value"],
                     "accuracy": row["correct"] / row["with_value"] if row["with_value"] else None,
                     "coverage": row["covered"] / row["true"] if row["true"] else None})
    return pl.DataFrame(rows, schema={"field": pl.String, "clusters": pl.Int64, "with_value": pl.Int64,
                                      "accuracy": pl.Float64, "coverage": pl.Float64})
