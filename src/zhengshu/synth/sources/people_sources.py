"""The departments' tables about people, besides the household register."""

from zhengshu.synth.sources import Source

PEOPLE_SOURCES: tuple[Source, ...] = ()
