"""What a synthetic city is made of: its size, its seed, and how dirty each kind of error makes the sources."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

AS_OF = date(2026, 6, 30)  # the city is observed on this day, whatever the clock says: output stays identical


class DirtRates(BaseModel):
    """Per-row probability of each kind of error, in the sources where that kind of field exists (0 to 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    typo: float = Field(0.03, ge=0, le=1, description="姓名同音/形近字错误率")
    traditional: float = Field(0.01, ge=0, le=1, description="繁体字错误率")
    full_width: float = Field(0.01, ge=0, le=1, description="全角字符错误率")
    stray_space: float = Field(0.02, ge=0, le=1, description="多余空格错误率")
    legacy_id: float = Field(0.01, ge=0, le=1, description="15 位旧身份证号比例")
    lowercase_x: float = Field(0.3, ge=0, le=1, description="身份证号末位小写 x 比例")
    wrong_check: float = Field(0.005, ge=0, le=1, description="校验位错误率")
    missing: float = Field(0.02, ge=0, le=1, description="缺失值比例")
    date_format: float = Field(0.3, ge=0, le=1, description="日期格式不一比例")
    phone_format: float = Field(0.2, ge=0, le=1, description="电话格式不一比例")
    address_variant: float = Field(0.3, ge=0, le=1, description="地址写法不一比例")
    duplicate: float = Field(0.01, ge=0, le=1, description="重复行比例")
    stale: float = Field(0.5, ge=0, le=1, description="迁居者旧地址残留比例")


class CityConfig(BaseModel):
    """A city of `persons` people, generated from `seed`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    persons: int = Field(ge=100, le=5_000_000, description="人口数")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="随机种子")
    rates: DirtRates = Field(default_factory=DirtRates)
