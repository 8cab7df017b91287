"""The synthetic city (合成城市): a deterministic Qinhuangdao-like city and the dirty tables its departments
would hand to the platform, with the ground truth kept apart so that quality checks and fusion can be scored.

`generate_city(CityConfig(persons=..., seed=...), out)` writes `truth/` (people, households, legal entities,
as Parquet), `sources/<department>/` (CSV in UTF-8 or GB18030, XLSX with a title row, JSON, a SQLite file),
`links/links.parquet` (for every source row: the true person or entity, and the errors injected into it) and
`manifest.json`. The same configuration gives byte-identical files.
"""
