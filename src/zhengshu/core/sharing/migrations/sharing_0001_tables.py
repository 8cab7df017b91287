"""sharing: requests and their history, grants, needs and their answers

Revision ID: sharing_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import zhengshu.kernel.database

revision: str = "sharing_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("sharing",)
# codes point at identity_organisations, identity_api_clients and catalog_entries
depends_on: str | Sequence[str] | None = ("identity_0001", "catalog_0001")

UTC = zhengshu.kernel.database.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred, _, referred_column = target.partition(".")
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    t = "sharing_requests"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("resource_code", sa.String(length=32), nullable=False),
        sa.Column("resource_name", sa.String(length=200), nullable=False),
        sa.Column("provider_code", sa.String(length=32), nullable=False),
        sa.Column("provider_name", sa.String(length=100), nullable=False),
        sa.Column("consumer_code", sa.String(length=32), nullable=False),
        sa.Column("consumer_name", sa.String(length=100), nullable=False),
        sa.Column("client_key", sa.String(length=40), nullable=False),
        sa.Column("sharing_type", sa.String(length=16), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("row_filters", sa.JSON(), nullable=False),
        sa.Column("row_scope", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("dispute_reason", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requested_by_name", sa.String(length=100), nullable=False),
        sa.Column("submitted_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        _fk(t, "resource_code", "catalog_entries.code"),
        _fk(t, "provider_code", "identity_organisations.code"),
        _fk(t, "consumer_code", "identity_organisations.code"),
        _fk(t, "client_key", "identity_api_clients.client_key"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_requests")),
    )
    _index(t, "resource_code", "provider_code", "consumer_code", "status")

    t = "sharing_request_events"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("occurred_at", UTC, nullable=False),
        _fk(t, "request_id", "sharing_requests.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_request_events")),
    )
    _index(t, "request_id")

    t = "sharing_grants"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("resource_code", sa.String(length=32), nullable=False),
        sa.Column("resource_name", sa.String(length=200), nullable=False),
        sa.Column("provider_code", sa.String(length=32), nullable=False),
        sa.Column("provider_name", sa.String(length=100), nullable=False),
        sa.Column("consumer_code", sa.String(length=32), nullable=False),
        sa.Column("consumer_name", sa.String(length=100), nullable=False),
        sa.Column("client_key", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("pseudonymous_fields", sa.JSON(), nullable=False),
        sa.Column("row_filters", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("daily_quota", sa.Integer(), nullable=True),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("renewed_at", UTC, nullable=True),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.Column("revoked_by", sa.String(length=120), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        _fk(t, "request_id", "sharing_requests.id"),
        _fk(t, "resource_code", "catalog_entries.code"),
        _fk(t, "provider_code", "identity_organisations.code"),
        _fk(t, "consumer_code", "identity_organisations.code"),
        _fk(t, "client_key", "identity_api_clients.client_key"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_grants")),
        sa.UniqueConstraint("request_id", name=op.f("uq_sharing_grants_request_id")),
    )
    _index(t, "provider_code", "consumer_code")
    op.create_index("ix_sharing_grants_client_resource", t, ["client_key", "resource_code"], unique=False)

    t = "sharing_needs"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("department_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("posted_by", sa.String(length=120), nullable=False),
        sa.Column("posted_by_name", sa.String(length=100), nullable=False),
        sa.Column("posted_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        _fk(t, "department_code", "identity_organisations.code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_needs")),
    )
    _index(t, "department_code", "status")

    t = "sharing_need_answers"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("resource_code", sa.String(length=32), nullable=False),
        sa.Column("resource_name", sa.String(length=200), nullable=False),
        sa.Column("provider_code", sa.String(length=32), nullable=False),
        sa.Column("provider_name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=120), nullable=False),
        sa.Column("answered_by_name", sa.String(length=100), nullable=False),
        sa.Column("answered_at", UTC, nullable=False),
        _fk(t, "need_id", "sharing_needs.id"),
        _fk(t, "resource_code", "catalog_entries.code"),
        _fk(t, "provider_code", "identity_organisations.code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_need_answers")),
        sa.UniqueConstraint("need_id", "resource_code", name=op.f("uq_sharing_need_answers_need_id_resource_code")),
    )
    _index(t, "need_id")


def downgrade() -> None:
    for table in ("sharing_need_answers", "sharing_needs", "sharing_grants", "sharing_request_events",
                  "sharing_requests"):
        op.drop_table(table)
