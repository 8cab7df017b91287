"""人口基础库, the population base registry: every person-describing row of every department's source linked
to one person (entity resolution: exact links on a valid 公民身份号码, then probabilistic matching with Splink
for the rest), from which the registry's golden records are built."""
