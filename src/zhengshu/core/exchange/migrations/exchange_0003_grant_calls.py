"""exchange: calls by grant and time (the per-grant rate limit counts them)

Revision ID: exchange_0003
Revises: exchange_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "exchange_0003"
down_revision: str | None = "exchange_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_calls_grant', ['grant_id', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_calls_grant')
