"""sharing: at most one open request per consumer system and resource (a partial unique index)

Revision ID: sharing_0002
Revises: sharing_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "sharing_0002"
down_revision: str | None = "sharing_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('submitted', 'provider_review', 'disputed')")


def upgrade() -> None:
    twice = op.get_bind().execute(sa.text(
        f"SELECT client_key, resource_code FROM sharing_requests WHERE {OPEN.text} "
        "GROUP BY client_key, resource_code HAVING count(*) > 1")).all()
    if twice:  # left by the race this index closes: someone must decide which of each pair goes on
        pairs = ", ".join(f"{c} / {r}" for c, r in twice)
        raise RuntimeError(f"open sharing requests held twice by one system for one resource: {pairs}; "
                           "refuse one of each pair, then upgrade again")
    op.create_index("uq_sharing_requests_open", "sharing_requests", ["client_key", "resource_code"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("uq_sharing_requests_open", table_name="sharing_requests")
