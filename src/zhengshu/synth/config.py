"""What a synthetic city is made of: its size, its seed, and how dirty each kind of error makes the sources."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

AS_OF = date(2026, 6, 30)  # the city is observed on this day, whatever the clock says: output stays identical


class DirtRates(BaseModel):
    """Per-row probability of each kind of error, in the sources where that kind of field exists (0 to 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    typo: float = Field(0.03, ge=0, le=1, description="同音/形近字 in a name")
    traditional: float = Field(0.01, ge=0, le=1, description="a name in traditional characters")
    full_width: float = Field(0.01, ge=0, le=1, description="full-width digits and letters")
    stray_space: float = Field(0.02, ge=0, le=1, description="spaces around or inside a value")
    legacy_id: float = Field(0.01, ge=0, le=1, description="a 15-digit ID number of the 1989 standard")
    lowercase_x: float = Field(0.3, ge=0, le=1, description="lower-case x in an ID number ending in X")
    wrong_check: float = Field(0.005, ge=0, le=1, description="a wrong check character in an ID or credit code")
    missing: float = Field(0.02, ge=0, le=1, description="an empty value where one was due")
    date_format: float = Field(0.3, ge=0, le=1, description="a date written in another of the offices' forms")
    phone_format: float = Field(0.2, ge=0, le=1, description="a phone with +86, dashes or spaces")
    address_variant: float = Field(0.3, ge=0, le=1, description="an address written another way")
    duplicate: float = Field(0.01, ge=0, le=1, description="a row sent twice in the same source")
    stale: float = Field(0.5, ge=0, le=1, description="a mover still at the old address in a secondary source")


class CityConfig(BaseModel):
    """A city of `persons` people, generated from `seed`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    persons: int = Field(ge=100, le=5_000_000, description="number of people living in the city")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="random seed: the same seed gives the same city")
    rates: DirtRates = Field(default_factory=DirtRates)
