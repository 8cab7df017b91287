"""The departments' tables about legal entities, and the statistics by district."""

from zhengshu.synth.sources import Source

ENTITY_SOURCES: tuple[Source, ...] = ()
