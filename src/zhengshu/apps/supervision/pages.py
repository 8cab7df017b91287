"""HTML routes of the supervision module (placeholder until written)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
