"""Shapes of the legal-entity base registry: a fusion run's outcome, and the views the portrait pages show."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FusionOutcome(BaseModel):
    """What a fusion run did: sources read, rows linked, entities found, conflicts and the registry version."""

    sources: list[str]
    rows: int
    entities: int
    links: dict[str, int] = Field(description="链接方式 → 行数")
    conflicts: int
    version: int
    seconds: dict[str, float]


class SourceRef(BaseModel):
    """Where a value came from: the source (部门/资源名), its dataset version and row (from 1), the row's date."""

    source: str
    dataset_code: str
    version: int
    row: int
    date: str | None = None
    item: str | None = None  # the source item (column) that states the value

    @property
    def department(self) -> str:
        return self.source.split("/", 1)[0]

    @property
    def resource(self) -> str:
        return self.source.split("/", 1)[-1]


class GoldenValue(BaseModel):
    """A registry field's golden value with its lineage and how it was chosen (权威来源 | 最新值)."""

    field: str
    title: str
    value: str | None
    basis: str | None = None
    origin: SourceRef | None = None


class SourceRecord(BaseModel):
    """A source row shown in a portrait section (a licence, a penalty, a tax line, a piece of equipment)."""

    origin: SourceRef
    values: dict[str, Any]


class RelatedEntity(BaseModel):
    entity_id: str
    name: str | None
    status: str | None


class Risk(BaseModel):
    title: str
    detail: str
    tone: str = "warning"  # warning | alert


class EntityPortrait(BaseModel):
    """法人画像: the golden record and everything the platform holds about one legal entity."""

    entity_id: str
    name: str | None
    fields: list[GoldenValue]
    legal_rep_id: str | None
    licences: list[SourceRecord]
    penalties: list[SourceRecord]
    tax: list[SourceRecord]
    equipment: list[SourceRecord]
    headcount: int | None
    related: list[RelatedEntity]
    risks: list[Risk]
    members: int


class PersonPortrait(BaseModel):
    """人员画像 as the legal-entity registry knows a person: the entities they represent, and where that is said."""

    id_number: str
    name: str | None
    represents: list[GoldenValue]
    entities: list[RelatedEntity]


class SourceRowView(BaseModel):
    """One row of a source dataset version, as a value's lineage points to it."""

    origin: SourceRef
    columns: list[str]
    values: dict[str, Any]
