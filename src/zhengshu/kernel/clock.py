"""Time. Inside the platform every timestamp is timezone-aware UTC; users see Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DISPLAY_ZONE = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Normalise a datetime to aware UTC; a naive one is taken to be UTC already (SQLite drops the zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def for_display(moment: datetime | None) -> str:
    """Format a moment for a person in the city: Asia/Shanghai, to the second."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M:%S")
