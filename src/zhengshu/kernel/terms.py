"""Value domains (值域): coded values kept in storage and the API as English codes, each with its Chinese label."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from zhengshu.kernel.errors import InvalidInput


class Term(StrEnum):
    """A value of a value domain: an English code kept in storage and the API, and its Chinese label.

    Members are declared as `NAME = "code", "中文"`; `parse` turns user input into a member or an InvalidInput
    that lists the allowed values.
    """

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def parse(cls, value: str, *, field: str, title: str) -> Self:
        try:
            return cls(value.strip())
        except ValueError:
            options = "、".join(f"{m.value}（{m.label}）" for m in cls)
            raise InvalidInput(f"{title}须为以下之一：{options}", field=field) from None
