"""Catalogue rules, pure Python (no I/O): `values` (the value domains), `metadata` (the resource code and the
national core metadata), `lifecycle` (registered → mounted → published → retired, and versions)."""
