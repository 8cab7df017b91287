"""Audit (审计): the platform's append-only, tamper-evident log. Every domain event becomes one record in an
SM3 hash chain (each record holds the hash of the one before); checkpoints signed with the platform's SM2 key
pin the chain so that a changed, removed, inserted, reordered or truncated record is found by `verify`.
Platform administrators read, filter and export the log; exporting it is itself recorded.
"""
