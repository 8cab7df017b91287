"""sharing: grant options — fields released in clear (clear_fields) and verification-only grants (verify_only)

Revision ID: sharing_0003
Revises: sharing_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "sharing_0003"
down_revision: str | None = "sharing_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # grants made before keep what they were: nothing released in clear, reading allowed
    op.add_column("sharing_grants", sa.Column("clear_fields", sa.JSON(), nullable=False,
                                              server_default=sa.text("'[]'")))
    op.add_column("sharing_grants", sa.Column("verify_only", sa.Boolean(), nullable=False,
                                              server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("sharing_grants", "verify_only")
    op.drop_column("sharing_grants", "clear_fields")
