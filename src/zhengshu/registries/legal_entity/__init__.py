"""法人基础库, the legal-entity base registry: every entity-describing row of every department's source linked
to one legal entity (entity resolution: exact links on a valid 统一社会信用代码, then probabilistic matching with
Splink for the rest), golden records with 一数一源, and the enterprise portrait (法人画像) built on them."""
