"""ingest: saved sources, loads and correction tasks

Revision ID: ingest_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "ingest_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("ingest",)
depends_on: str | Sequence[str] | None = None  # resource codes are the catalogue's, kept without a foreign key


def upgrade() -> None:
    op.create_table('ingest_sources',
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('policy', sa.String(length=32), nullable=False),
    sa.Column('saved_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('saved_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('resource_code', name=op.f('pk_ingest_sources'))
    )
    op.create_table('ingest_loads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('load_id', sa.String(length=64), nullable=False),
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('provider_code', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('policy', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), server_default='', nullable=False),
    sa.Column('progress_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_read', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_loaded', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_rejected', sa.Integer(), server_default='0', nullable=False),
    sa.Column('dataset_code', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('reused', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('rejected_path', sa.String(length=300), nullable=True),
    sa.Column('message', sa.Text(), server_default='', nullable=False),
    sa.Column('discoveries', sa.JSON(), nullable=True),
    sa.Column('started_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_loads')),
    sa.UniqueConstraint('load_id', name=op.f('uq_ingest_loads_load_id'))
    )
    with op.batch_alter_table('ingest_loads', schema=None) as batch_op:
        batch_op.create_index('ix_ingest_loads_resource', ['resource_code', 'started_at'], unique=False)
        batch_op.create_index('ix_ingest_loads_provider', ['provider_code', 'started_at'], unique=False)


    op.create_table('ingest_corrections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('resource_code', sa.String(length=64), nullable=False),
    sa.Column('provider_code', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('load_id', sa.String(length=64), nullable=True),
    sa.Column('record_key', sa.String(length=200), nullable=True),
    sa.Column('reported_by', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('opened_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closing_note', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_corrections'))
    )
    with op.batch_alter_table('ingest_corrections', schema=None) as batch_op:
        batch_op.create_index('ix_ingest_corrections_provider', ['provider_code', 'status'], unique=False)
        batch_op.create_index('ix_ingest_corrections_resource', ['resource_code', 'status'], unique=False)


def downgrade() -> None:
    op.drop_table('ingest_corrections')
    with op.batch_alter_table('ingest_loads', schema=None) as batch_op:
        batch_op.drop_index('ix_ingest_loads_provider')
        batch_op.drop_index('ix_ingest_loads_resource')
    op.drop_table('ingest_loads')
    op.drop_table('ingest_sources')
