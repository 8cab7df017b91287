"""fusion: runs and review decisions

Revision ID: fusion_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = 'fusion_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('fusion',)
depends_on: str | Sequence[str] | None = None  # dataset and catalogue codes are kept without foreign keys


def upgrade() -> None:
    op.create_table('fusion_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('registry', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('started_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.String(length=200), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fusion_runs'))
    )
    with op.batch_alter_table('fusion_runs', schema=None) as batch_op:
        batch_op.create_index('ix_fusion_runs_registry', ['registry', 'started_at'], unique=False)

    op.create_table('fusion_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('registry', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fusion_decisions'))
    )
    with op.batch_alter_table('fusion_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_fusion_decisions_registry', ['registry', 'record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fusion_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_fusion_decisions_registry')
    op.drop_table('fusion_decisions')
    with op.batch_alter_table('fusion_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_fusion_runs_registry')
    op.drop_table('fusion_runs')
