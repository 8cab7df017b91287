"""quality: rule sets, load results, bad rows

Revision ID: quality_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = 'quality_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('quality',)
depends_on: str | Sequence[str] | None = None  # resource codes are the catalogue's, kept without a foreign key


def upgrade() -> None:
    op.create_table('quality_load_results',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('load_id', sa.String(length=64), nullable=False),
    sa.Column('rule_set_version', sa.Integer(), nullable=True),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.Column('rejected', sa.BigInteger(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('rule_counts', sa.JSON(), nullable=False),
    sa.Column('skipped', sa.JSON(), nullable=False),
    sa.Column('evaluated_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_load_results')),
    sa.UniqueConstraint('resource_code', 'load_id', name=op.f('uq_quality_load_results_resource_code_load_id'))
    )
    with op.batch_alter_table('quality_load_results', schema=None) as batch_op:
        batch_op.create_index('ix_quality_load_results_resource', ['resource_code', 'evaluated_at'], unique=False)

    op.create_table('quality_rule_sets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('created_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_rule_sets')),
    sa.UniqueConstraint('resource_code', 'version', name=op.f('uq_quality_rule_sets_resource_code_version'))
    )
    op.create_table('quality_bad_rows',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('row', sa.BigInteger(), nullable=True),
    sa.Column('field', sa.String(length=400), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=True),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['quality_load_results.id'], name=op.f('fk_quality_bad_rows_result_id_quality_load_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_bad_rows'))
    )
    with op.batch_alter_table('quality_bad_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_bad_rows_result_id'), ['result_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('quality_bad_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_bad_rows_result_id'))

    op.drop_table('quality_bad_rows')
    op.drop_table('quality_rule_sets')
    with op.batch_alter_table('quality_load_results', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_load_results_resource')

    op.drop_table('quality_load_results')
