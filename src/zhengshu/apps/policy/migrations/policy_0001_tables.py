"""policy: documents, passages, passage vectors

Revision ID: policy_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zhengshu.kernel.database import UTCDateTime

revision: str = "policy_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("policy",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policy_documents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=120), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('validity', sa.String(length=16), nullable=False),
    sa.Column('validity_note', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('named', sa.JSON(), nullable=False),
    sa.Column('repeals', sa.JSON(), nullable=False),
    sa.Column('imported_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_documents')),
    sa.UniqueConstraint('code', name=op.f('uq_policy_documents_code'))
    )
    op.create_index(op.f('ix_policy_documents_validity'), 'policy_documents', ['validity'], unique=False)
    op.create_table('policy_passages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=500), nullable=False),
    sa.Column('clause', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['policy_documents.id'],
                            name=op.f('fk_policy_passages_document_id_policy_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_passages')),
    sa.UniqueConstraint('document_id', 'ordinal', name=op.f('uq_policy_passages_document_id_ordinal'))
    )
    op.create_index(op.f('ix_policy_passages_digest'), 'policy_passages', ['digest'], unique=False)
    op.create_table('policy_vectors',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_policy_vectors'))
    )


def downgrade() -> None:
    op.drop_table('policy_vectors')
    op.drop_index(op.f('ix_policy_passages_digest'), table_name='policy_passages')
    op.drop_table('policy_passages')
    op.drop_index(op.f('ix_policy_documents_validity'), table_name='policy_documents')
    op.drop_table('policy_documents')
