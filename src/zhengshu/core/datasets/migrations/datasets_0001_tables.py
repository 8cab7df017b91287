"""datasets: datasets and their versions

Revision ID: datasets_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "datasets_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("datasets",)
depends_on: str | Sequence[str] | None = ("identity_0001",)  # owner_code references identity_organisations


def upgrade() -> None:
    op.create_table('datasets_datasets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner_code', sa.String(length=32), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=True),
    sa.Column('created_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_code'], ['identity_organisations.code'], name=op.f('fk_datasets_datasets_owner_code_identity_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets_datasets')),
    sa.UniqueConstraint('code', name=op.f('uq_datasets_datasets_code'))
    )
    with op.batch_alter_table('datasets_datasets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datasets_datasets_owner_code'), ['owner_code'], unique=False)

    op.create_table('datasets_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('row_count', sa.BigInteger(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('failure', sa.String(length=500), nullable=True),
    sa.Column('created_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets_datasets.id'], name=op.f('fk_datasets_versions_dataset_id_datasets_datasets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets_versions')),
    sa.UniqueConstraint('dataset_id', 'version', name=op.f('uq_datasets_versions_dataset_id_version'))
    )
    with op.batch_alter_table('datasets_versions', schema=None) as batch_op:
        batch_op.create_index('ix_datasets_versions_content_hash', ['dataset_id', 'content_hash'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('datasets_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_datasets_versions_content_hash')

    op.drop_table('datasets_versions')
    with op.batch_alter_table('datasets_datasets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datasets_datasets_owner_code'))

    op.drop_table('datasets_datasets')
