"""supervision: plans, their sections and tasks, task assignments, progress reports and attachments

Revision ID: supervision_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "supervision_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("supervision",)
depends_on: str | Sequence[str] | None = ("identity_0001",)  # assignments point at identity_organisations


def upgrade() -> None:
    op.create_table('supervision_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('cycle', sa.String(length=16), nullable=False),
    sa.Column('imported_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=120), nullable=False),
    sa.Column('imported_by_name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_plans')),
    sqlite_autoincrement=True,
    )
    op.create_table('supervision_sections',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['supervision_plans.id'], name=op.f('fk_supervision_sections_plan_id_supervision_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'number', name=op.f('pk_supervision_sections'))
    )
    op.create_table('supervision_tasks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('lead_written', sa.JSON(), nullable=False),
    sa.Column('responsible_written', sa.JSON(), nullable=False),
    sa.Column('unspecified', sa.JSON(), nullable=False),
    sa.Column('unknown', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['supervision_plans.id'], name=op.f('fk_supervision_tasks_plan_id_supervision_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_tasks')),
    sa.UniqueConstraint('plan_id', 'section', 'number', name='number'),
    sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_supervision_tasks_plan_id'), 'supervision_tasks', ['plan_id'], unique=False)
    op.create_table('supervision_assignments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('organisation_code', sa.String(length=32), nullable=False),
    sa.Column('organisation_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('assigned_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_code'], ['identity_organisations.code'], name=op.f('fk_supervision_assignments_organisation_code_identity_organisations')),
    sa.ForeignKeyConstraint(['task_id'], ['supervision_tasks.id'], name=op.f('fk_supervision_assignments_task_id_supervision_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_assignments')),
    sa.UniqueConstraint('task_id', 'organisation_code', name='department')
    )
    op.create_index(op.f('ix_supervision_assignments_organisation_code'), 'supervision_assignments', ['organisation_code'], unique=False)
    op.create_index(op.f('ix_supervision_assignments_task_id'), 'supervision_assignments', ['task_id'], unique=False)
    op.create_table('supervision_reports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reported_at', zhengshu.kernel.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_by', sa.String(length=120), nullable=False),
    sa.Column('reported_by_name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['supervision_assignments.id'], name=op.f('fk_supervision_reports_assignment_id_supervision_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_reports'))
    )
    op.create_index(op.f('ix_supervision_reports_assignment_id'), 'supervision_reports', ['assignment_id'], unique=False)
    op.create_table('supervision_attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['supervision_reports.id'], name=op.f('fk_supervision_attachments_report_id_supervision_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_attachments'))
    )
    op.create_index(op.f('ix_supervision_attachments_report_id'), 'supervision_attachments', ['report_id'], unique=False)
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_index(op.f('ix_supervision_attachments_report_id'), table_name='supervision_attachments')
    op.drop_table('supervision_attachments')
    op.drop_index(op.f('ix_supervision_reports_assignment_id'), table_name='supervision_reports')
    op.drop_table('supervision_reports')
    op.drop_index(op.f('ix_supervision_assignments_task_id'), table_name='supervision_assignments')
    op.drop_index(op.f('ix_supervision_assignments_organisation_code'), table_name='supervision_assignments')
    op.drop_table('supervision_assignments')
    op.drop_index(op.f('ix_supervision_tasks_plan_id'), table_name='supervision_tasks')
    op.drop_table('supervision_tasks')
    op.drop_table('supervision_sections')
    op.drop_table('supervision_plans')
    # ### end Alembic commands ###
