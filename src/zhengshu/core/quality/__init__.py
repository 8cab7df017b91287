"""Data quality and standardisation (数据质量/标准化治理): standardisers that bring a department's text values
to one standard form (dates, ID numbers, credit codes, phones, names, addresses, code tables), rule sets per
catalogue resource kept as data, their vectorised evaluation into violations, row verdicts and scores per
quality dimension (规范性 完整性 准确性 一致性 时效性), and the record of each load's quality result."""
