"""Shapes at the edges of the identity module (syntax validation), and the views handed to pages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=32, description="登录名")
    display_name: str = Field(min_length=1, max_length=100, description="姓名")
    organisation_code: str = Field(min_length=1, max_length=32, description="所属部门代码")
    roles: list[str] = Field(min_length=1, description="角色")
    password: str = Field(min_length=1, max_length=200, description="初始密码")


class ClientCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="接入系统名称")
    organisation_code: str = Field(min_length=1, max_length=32, description="所属部门代码")


class TokenRequest(BaseModel):
    client_key: str = Field(min_length=1, max_length=64)
    client_secret: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class OrganisationView(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    full_name: str
    kind: str
    kind_title: str
    parent_code: str | None


class OrganisationNode(BaseModel):
    organisation: OrganisationView
    children: list[OrganisationNode] = []


class UserView(BaseModel):
    id: int
    username: str
    display_name: str
    organisation_code: str
    organisation_name: str
    roles: list[str]
    role_titles: list[str]
    active: bool
    locked: bool
    last_sign_in_at: datetime | None


class ClientView(BaseModel):
    client_key: str
    name: str
    organisation_code: str
    organisation_name: str
    active: bool
    last_token_at: datetime | None
    created_at: datetime


class CreatedClient(BaseModel):
    client: ClientView
    client_secret: str = Field(description="只显示这一次，请妥善保存")


class ActorView(BaseModel):
    kind: str
    id: str
    name: str
    department_code: str | None
    roles: list[str]


class Summary(BaseModel):
    divisions: int
    departments: int
    users: int
    clients: int


class DemoAccount(BaseModel):
    username: str
    password: str
    role_title: str
    department_name: str
