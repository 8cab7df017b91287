"""Base registries (基础库) fused from many departments' records: population (人口基础库) first."""
