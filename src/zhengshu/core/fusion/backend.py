"""The database Splink runs a registry's entity resolution on (实体识别的计算引擎), the one place that chooses it:
DuckDB in the fusion process by default, or Spark when `ZHENGSHU_FUSION_SPARK_MASTER` names a master (`local[2]`,
`spark://host:7077`, `yarn`), for cities too big for one machine. A registry's linkage takes its Splink API from
`linkage.splink_api()`, which calls `database_api(connection)` here, and runs the same model and SQL on either
(Splink translates the SQL to each dialect).

The Spark session is built once per process and master and reused by every run; it loads Splink's bundled
similarity jar (Jaro-Winkler, ...) and keeps its checkpoints in a temporary folder. pyspark is an optional extra
(`pip install "zhengshu[spark]"`, Java 17+); it is imported only when the setting names a master.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from typing import TYPE_CHECKING, Any

from zhengshu.kernel.errors import ConfigurationError
from zhengshu.settings import load_settings

if TYPE_CHECKING:
    import duckdb
    from splink.internals.database_api import DatabaseAPI

# Spark's default of 200 shuffle partitions is for clusters: on one machine each tiny partition costs a task.
LOCAL_PARTITIONS = 2


def database_api(connection: duckdb.DuckDBPyConnection, master: str | None = None) -> DatabaseAPI[Any]:
    """Splink's database API for one linkage: Spark on `master` (default: the `ZHENGSHU_FUSION_SPARK_MASTER`
    setting) when there is one, else DuckDB on `connection` (the caller opens and closes it)."""
    master = master if master is not None else load_settings().fusion_spark_master
    if not master:
        from splink import DuckDBAPI

        return DuckDBAPI(connection)
    local = master.startswith("local")
    # on one machine Splink's intermediate tables stay in memory; on a cluster they go to Parquet files
    return _spark_api()(spark_session=spark_session(master), break_lineage_method="persist" if local else "parquet",
                    num_partitions_on_repartition=LOCAL_PARTITIONS if local else None)


@cache
def spark_session(master: str) -> Any:
    """The process's Spark session on `master` (built on first use, then reused)."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise ConfigurationError(
            "ZHENGSHU_FUSION_SPARK_MASTER 需要 Spark: pip install \"zhengshu[spark]\"（并安装 Java 17 或更高版本）"
        ) from exc
    builder = (SparkSession.builder.master(master).appName("zhengshu-fusion")
               .config("spark.jars", similarity_jar_location())
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if master.startswith("local"):
        builder = (builder.config("spark.sql.shuffle.partitions", str(LOCAL_PARTITIONS))
                   .config("spark.default.parallelism", str(LOCAL_PARTITIONS))
                   .config("spark.sql.adaptive.enabled", "false")  # re-planning costs more than it saves here
                   .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1"))
    session = builder.getOrCreate()
    checkpoints = tempfile.mkdtemp(prefix="zhengshu-spark-")
    atexit.register(shutil.rmtree, checkpoints, ignore_errors=True)
    session.sparkContext.setCheckpointDir(checkpoints)
    session.sparkContext.setLogLevel("ERROR")
    return session


@cache
def _spark_api() -> type:
    """Splink's SparkAPI taking the Arrow tables a registry hands it as they are: Spark has no unsigned integer
    types and refuses Polars' UInt32 (string lengths, counts), so those columns go in as 64-bit integers."""
    import pyarrow as pa
    from splink.backends.spark import SparkAPI

    class ArrowSparkAPI(SparkAPI):
        def _table_registration(self, input: Any, table_name: str) -> None:
            if isinstance(input, pa.Table):
                input = input.cast(pa.schema([
                    field.with_type(pa.int64()) if pa.types.is_unsigned_integer(field.type) else field
                    for field in input.schema]))
            super()._table_registration(input, table_name)

    return ArrowSparkAPI
