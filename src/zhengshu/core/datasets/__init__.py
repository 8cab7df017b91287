"""Dataset store (数据集): immutable dataset versions as Parquet files in the data directory, published by
flipping one pointer in the metadata database, read with column selection, filters, sorting and keyset
pagination pushed down to DuckDB."""
