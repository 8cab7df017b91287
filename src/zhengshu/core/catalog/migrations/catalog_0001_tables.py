"""catalog: entries, items, related codes, published versions, lifecycle history, code sequences

Revision ID: catalog_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "catalog_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("catalog",)
depends_on: str | Sequence[str] | None = "identity_0001"  # catalog_entries.provider_code -> identity_organisations


def upgrade() -> None:
    op.create_table('catalog_code_sequences',
    sa.Column('classification_code', sa.String(length=16), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('classification_code', name=op.f('pk_catalog_code_sequences'))
    )
    op.create_table('catalog_entries',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('classification_code', sa.String(length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('directory', sa.String(length=16), nullable=False),
    sa.Column('section', sa.String(length=2), nullable=False),
    sa.Column('heading', sa.String(length=3), nullable=False),
    sa.Column('subheading', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('provider_code', sa.String(length=32), nullable=False),
    sa.Column('provider_name', sa.String(length=100), nullable=False),
    sa.Column('provider_credit_code', sa.String(length=18), nullable=False),
    sa.Column('abstract', sa.Text(), nullable=False),
    sa.Column('format_type', sa.String(length=24), nullable=True),
    sa.Column('format_detail', sa.String(length=100), nullable=False),
    sa.Column('sharing_type', sa.String(length=16), nullable=True),
    sa.Column('sharing_condition', sa.Text(), nullable=False),
    sa.Column('sharing_basis', sa.Text(), nullable=False),
    sa.Column('sharing_mode', sa.String(length=16), nullable=True),
    sa.Column('opening_type', sa.String(length=16), nullable=True),
    sa.Column('opening_condition', sa.Text(), nullable=False),
    sa.Column('update_cycle', sa.String(length=16), nullable=True),
    sa.Column('update_cycle_note', sa.String(length=100), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('mount_kind', sa.String(length=16), nullable=True),
    sa.Column('mount_reference', sa.String(length=500), nullable=True),
    sa.Column('mount_columns', sa.JSON(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('retired_reason', sa.Text(), nullable=False),
    sa.Column('created_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_code'], ['identity_organisations.code'], name=op.f('fk_catalog_entries_provider_code_identity_organisations')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_catalog_entries')),
    sa.UniqueConstraint('classification_code', 'sequence', name=op.f('uq_catalog_entries_classification_code_sequence'))
    )
    with op.batch_alter_table('catalog_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_entries_directory'), ['directory'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_entries_provider_code'), ['provider_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_entries_sharing_type'), ['sharing_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_entries_status'), ['status'], unique=False)

    op.create_table('catalog_entry_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entry_code', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('occurred_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_code'], ['catalog_entries.code'], name=op.f('fk_catalog_entry_history_entry_code_catalog_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_entry_history'))
    )
    with op.batch_alter_table('catalog_entry_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_entry_history_entry_code'), ['entry_code'], unique=False)

    op.create_table('catalog_entry_versions',
    sa.Column('entry_code', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('published_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=100), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['entry_code'], ['catalog_entries.code'], name=op.f('fk_catalog_entry_versions_entry_code_catalog_entries')),
    sa.PrimaryKeyConstraint('entry_code', 'version', name=op.f('pk_catalog_entry_versions'))
    )
    op.create_table('catalog_items',
    sa.Column('entry_code', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('data_type', sa.String(length=1), nullable=False),
    sa.Column('length', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('personal_info', sa.String(length=16), nullable=False),
    sa.Column('is_key', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entry_code'], ['catalog_entries.code'], name=op.f('fk_catalog_items_entry_code_catalog_entries')),
    sa.PrimaryKeyConstraint('entry_code', 'position', name=op.f('pk_catalog_items')),
    sa.UniqueConstraint('entry_code', 'name', name=op.f('uq_catalog_items_entry_code_name'))
    )
    op.create_table('catalog_related',
    sa.Column('entry_code', sa.String(length=32), nullable=False),
    sa.Column('related_code', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_code'], ['catalog_entries.code'], name=op.f('fk_catalog_related_entry_code_catalog_entries')),
    sa.PrimaryKeyConstraint('entry_code', 'related_code', name=op.f('pk_catalog_related'))
    )


def downgrade() -> None:
    op.drop_table('catalog_related')
    op.drop_table('catalog_items')
    op.drop_table('catalog_entry_versions')
    with op.batch_alter_table('catalog_entry_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_entry_history_entry_code'))

    op.drop_table('catalog_entry_history')
    with op.batch_alter_table('catalog_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_entries_status'))
        batch_op.drop_index(batch_op.f('ix_catalog_entries_sharing_type'))
        batch_op.drop_index(batch_op.f('ix_catalog_entries_provider_code'))
        batch_op.drop_index(batch_op.f('ix_catalog_entries_directory'))

    op.drop_table('catalog_entries')
    op.drop_table('catalog_code_sequences')
