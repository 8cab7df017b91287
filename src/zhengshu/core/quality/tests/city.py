"""The synthetic city as the quality tests and `bench/quality.py` see it: each person source read back as
text, standardised and checked with the rules its column names suggest plus referential checks against the
household register, then compared row by row with the city's ground truth (`links/links.parquet`) to say,
per injected error class, how many rows were fixed by a standardiser, flagged by a rule, or missed.

The readers here are small stand-ins for the ingest connectors (built in `core/ingest`), enough for files the
city writes itself.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from zhengshu.core.quality.domain.evaluation import evaluate
from zhengshu.core.quality.domain.rules import RuleSet
from zhengshu.core.quality.domain.standardisers import standardise_frame
from zhengshu.core.quality.domain.suggestion import ItemSpec, suggest_rule_set

REGISTER = "sources/市公安局/户籍人口.csv"
# dirt a standardiser can undo; other classes count only when a rule flags the row
FIXABLE = ("date_format", "legacy_id", "lowercase_x", "full_width", "stray_space", "traditional", "phone_format",
           "address_variant")


def read_table(path: Path, encoding: str | None = None) -> pl.DataFrame:
    """A city file as text columns plus `row` (1, 2, 3 … as in the links)."""
    suffix = path.suffix
    if suffix == ".csv":
        text = path.read_bytes().decode(encoding or "utf-8-sig")
        frame = pl.read_csv(text.encode("utf-8"), infer_schema=False)
    elif suffix == ".json":
        frame = pl.DataFrame(json.loads(path.read_text("utf-8"))["data"], infer_schema_length=None)
    elif suffix == ".jsonl":
        frame = pl.DataFrame([json.loads(line) for line in path.read_text("utf-8").splitlines() if line],
                             infer_schema_length=None)
    elif suffix == ".xlsx":
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        header = [str(h) for h in rows[2]]
        body = [[None if v == "" else str(v) for v in r] for r in rows[3:]]
        frame = pl.DataFrame(body, schema=dict.fromkeys(header, pl.String), orient="row")
    else:
        with sqlite3.connect(path) as connection:
            table = connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchone()[0]
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY id')
            names = [d[0] for d in cursor.description]
            frame = pl.DataFrame(cursor.fetchall(), schema=names, orient="row").drop("id")
    frame = frame.with_columns(pl.all().cast(pl.String))
    return frame.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))


def rules_for(source: str, columns: list[str]) -> RuleSet:
    """The suggested rules (the first ID or credit-code column as key) plus, for person sources, referential
    checks of (ID, name) and (ID, address) against the household register."""
    first_key = next((c for c in columns if any(w in c for w in ("身份", "证件号码", "信用代码", "识别号"))), None)
    suggested = suggest_rule_set(source, [ItemSpec(c, is_key=c == first_key) for c in columns if c != "row"])
    ids = [c for c, s in suggested.standardisers.items() if s == "id_number"]
    extra = []
    if source != REGISTER:
        for id_column in ids:
            side = id_column.replace("身份证号", "").replace("证件号码", "").replace("身份号码", "")
            for kind, ref_field in (("name", "姓名"), ("address", "户籍地址")):
                for c, s in suggested.standardisers.items():
                    if s == kind and c.startswith(side) and (kind == "address" or "名" in c or c in ("权利人", "户名")):
                        extra.append({"id": f"ref-{id_column}-{c}", "kind": "referential", "fields": [id_column, c],
                                      "reference": "register", "reference_fields": ["公民身份号码", ref_field],
                                      "message": f"{c}与户籍登记不符"})
    names = [c for c, s in suggested.standardisers.items() if s == "name"]
    addresses = [c for c, s in suggested.standardisers.items() if s == "address"]
    if source != REGISTER and not ids and names and addresses:  # a utility's account: name and address only
        extra.append({"id": "ref-name-address", "kind": "referential", "fields": [names[0], addresses[0]],
                      "reference": "register", "reference_fields": ["姓名", "户籍地址"],
                      "message": "户名与地址在户籍登记中找不到"})
    if first_key is None:
        extra.append({"id": "row-unique", "kind": "uniqueness", "fields": [c for c in columns if c != "row"],
                      "message": "整行重复"})
    return RuleSet.model_validate({**suggested.dump(), "rules": [*suggested.dump()["rules"], *extra]})


@dataclass(frozen=True)
class SourceCheck:
    source: str
    raw: pl.DataFrame
    clean: pl.DataFrame
    rule_set: RuleSet
    violations: pl.DataFrame


def check_source(city: Path, source: str, encoding: str | None, register: pl.DataFrame | None) -> SourceCheck:
    raw = read_table(city / source, encoding)
    rule_set = rules_for(source, raw.columns)
    clean, _ = standardise_frame(raw, dict(rule_set.standardisers))
    references = {"register": register} if register is not None else {}
    result = evaluate(clean, rule_set, references=references)
    return SourceCheck(source, raw, clean, rule_set, result.violations)


def recall(city: Path) -> pl.DataFrame:
    """Per source and error class ("column:kind"): rows, fixed, flagged, missed, recall (%)."""
    manifest = json.loads((city / "manifest.json").read_text("utf-8"))
    encodings = {f["path"]: f["encoding"] for f in manifest["files"] if f["subject"] == "person"}
    register = check_source(city, REGISTER, encodings[REGISTER], None).clean
    links = pl.read_parquet(city / "links" / "links.parquet").filter(pl.col("errors") != "")
    out = []
    for source, encoding in encodings.items():
        check = check_source(city, source, encoding, register)
        labels = (links.filter(pl.col("source") == source).select("row", pl.col("errors").str.split(";"))
                  .explode("errors").with_columns(pl.col("errors").str.split_exact(":", 1).struct.rename_fields(
                      ["column", "kind"])).unnest("errors").filter(pl.col("column") != "subject"))
        flagged = check.violations.select("row", pl.col("field").str.split("+").alias("column")).explode("column")
        flagged = flagged.with_columns(pl.lit(True).alias("flagged")).unique()
        changed = pl.concat([
            pl.DataFrame({"row": check.raw["row"], "column": pl.repeat(c, check.raw.height, eager=True),
                          "fixed": check.raw[c].ne_missing(check.clean[c])
                          | check.clean[c].str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)})
            for c in check.rule_set.standardisers], how="vertical") if check.rule_set.standardisers else None
        duplicates = check.violations.filter(pl.col("rule_id").str.ends_with("-unique")).unique("row").select(
            "row", pl.lit("row").alias("column"), pl.lit(True).alias("dup"))
        joined = labels.join(flagged, on=["row", "column"], how="left").join(
            duplicates, on=["row", "column"], how="left")
        if changed is not None:
            joined = joined.join(changed, on=["row", "column"], how="left")
        else:
            joined = joined.with_columns(pl.lit(False).alias("fixed"))
        joined = joined.with_columns(flagged=pl.col("flagged").fill_null(False) | pl.col("dup").fill_null(False),
                                     fixed=pl.col("fixed").fill_null(False) & pl.col("kind").is_in(FIXABLE))
        out.append(joined.group_by("column", "kind").agg(
            rows=pl.len(), fixed=(pl.col("fixed") & ~pl.col("flagged")).sum(), flagged=pl.col("flagged").sum(),
        ).with_columns(pl.lit(source).alias("source")))
    table = pl.concat(out).with_columns(missed=pl.col("rows") - pl.col("fixed") - pl.col("flagged"))
    table = table.with_columns(recall=(100 * (pl.col("fixed") + pl.col("flagged")) / pl.col("rows")).round(1))
    return table.select("source", "column", "kind", "rows", "fixed", "flagged", "missed", "recall").sort(
        "kind", "source", "column")


def recall_by_kind(table: pl.DataFrame) -> pl.DataFrame:
    return table.group_by("kind").agg(pl.col("rows", "fixed", "flagged", "missed").sum()).with_columns(
        recall=(100 * (pl.col("fixed") + pl.col("flagged")) / pl.col("rows")).round(1)).sort("kind")
