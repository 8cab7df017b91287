"""exchange: usage per grant and day, calls

Revision ID: exchange_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "exchange_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("exchange",)
depends_on: str | Sequence[str] | None = None  # grant ids are sharing's, kept without a foreign key


def upgrade() -> None:
    op.create_table('exchange_usage',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('calls', sa.Integer(), nullable=False),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('grant_id', 'day', name=op.f('pk_exchange_usage'))
    )
    op.create_table('exchange_calls',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('occurred_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('client_key', sa.String(length=40), nullable=False),
    sa.Column('consumer_code', sa.String(length=32), nullable=True),
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('operation', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_calls'))
    )
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_calls_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index('ix_exchange_calls_resource', ['resource_code', 'occurred_at'], unique=False)
        batch_op.create_index('ix_exchange_calls_client', ['client_key', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_calls_client')
        batch_op.drop_index('ix_exchange_calls_resource')
        batch_op.drop_index(batch_op.f('ix_exchange_calls_occurred_at'))

    op.drop_table('exchange_calls')
    op.drop_table('exchange_usage')
