"""The quality module's pure core: code tables, standardisers, check digits as Polars expressions, rule sets
and their evaluation. No I/O beyond reading the module's own code-table files."""
