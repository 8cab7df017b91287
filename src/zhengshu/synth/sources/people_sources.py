"""The departments' tables about people, besides the household register."""

from zhengshu.synth.sources import (
    Source,
    civil_affairs,
    education,
    health,
    housing,
    human_resources,
    provident_fund,
    tourism,
    transport,
    utilities,
)

PEOPLE_SOURCES: tuple[Source, ...] = (
    health.build,
    human_resources.build,
    civil_affairs.build,
    education.build,
    housing.build,
    provident_fund.build,
    utilities.build,
    transport.build,
    tourism.build,
)
