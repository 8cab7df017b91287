"""Every department's source, in the order they are generated (the order does not change their content)."""

from zhengshu.synth.sources import Source, public_security
from zhengshu.synth.sources.entity_sources import ENTITY_SOURCES
from zhengshu.synth.sources.people_sources import PEOPLE_SOURCES

SOURCES: tuple[Source, ...] = (public_security.build, *PEOPLE_SOURCES, *ENTITY_SOURCES)
