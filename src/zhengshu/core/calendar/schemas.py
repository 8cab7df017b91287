"""Shapes at the edges of the calendar module, and the views pages and the API receive."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CalendarDayView(BaseModel):
    day: date
    weekday: str = Field(description="星期，如 周四")
    kind: str = Field(description="holiday 或 workday")
    kind_title: str = Field(description="节假日 或 调休上班")
    name: str


class YearView(BaseModel):
    """A year of the calendar: the listed days, and whether the year is covered at all."""

    year: int
    covered: bool = Field(description="是否已录入该年的节假日安排；未录入的年份不能计算工作日")
    working_days: int | None = Field(description="该年工作日总数（未录入时为空）")
    holidays: int = Field(description="列为节假日的天数")
    adjusted_workdays: int = Field(description="调休上班的天数")
    days: list[CalendarDayView]
    covered_years: list[int] = Field(description="已录入的全部年份")


class DeadlineView(BaseModel):
    start: date = Field(description="起算日（不计入）")
    working_days: int = Field(description="工作日数")
    deadline: date = Field(description="期限：起算日之后第 N 个工作日")
    weekday: str = Field(description="期限是星期几")
    calendar_days: int = Field(description="期限距起算日的自然日数")


class SeedResult(BaseModel):
    years: list[int] = Field(description="本次写入的年份（已有的年份不改动）")
    days: int = Field(description="本次写入的天数")
    covered_years: list[int]
