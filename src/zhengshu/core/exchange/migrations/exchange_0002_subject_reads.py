"""exchange: provider, purpose and fields of each call; the subjects each call returned

Revision ID: exchange_0002
Revises: exchange_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "exchange_0002"
down_revision: str | None = "exchange_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('fields', sa.Text(), server_default='', nullable=False))
        batch_op.create_index('ix_exchange_calls_provider', ['provider_code', 'occurred_at'], unique=False)
    op.create_table('exchange_subject_reads',
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['exchange_calls.id'], name=op.f('fk_exchange_subject_reads_call_id_exchange_calls'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subject', 'call_id', name=op.f('pk_exchange_subject_reads'))
    )


def downgrade() -> None:
    op.drop_table('exchange_subject_reads')
    with op.batch_alter_table('exchange_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_calls_provider')
        batch_op.drop_column('fields')
        batch_op.drop_column('purpose')
        batch_op.drop_column('provider_code')
