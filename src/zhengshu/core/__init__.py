"""Core platform modules: identity, audit, and later catalogue, sharing, exchange, ingest, quality, open data."""
