"""Shapes of the legal-entity base registry: the views the portrait pages show."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class SourceRef(BaseModel):
    """Where a value came from: the source (部门/资源名), its catalogue resource, the resource's dataset version
    and row (from 1), the row's date and the item stating the value."""

    source: str
    resource_code: str
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


class PortraitValue(BaseModel):
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
    fields: list[PortraitValue]
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
    """人员画像: the person's golden record in the population registry (when fused), the entities they represent,
    and where each value is said."""

    id_number: str
    person_id: str | None
    name: str | None
    fields: list[PortraitValue]
    represents: list[PortraitValue]
    entities: list[RelatedEntity]


class SourceRowView(BaseModel):
    """One row of a source dataset version, as a value's lineage points to it."""

    origin: SourceRef
    columns: list[str]
    values: dict[str, Any]
