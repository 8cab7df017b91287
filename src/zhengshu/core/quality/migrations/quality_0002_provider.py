"""quality: the providing department of each load result (the quality ranking groups by it)

Revision ID: quality_0002
Revises: quality_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "quality_0002"
down_revision: str | None = "quality_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('quality_load_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_code', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quality_load_results', schema=None) as batch_op:
        batch_op.drop_column('provider_code')
