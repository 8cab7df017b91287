"""Sharing rules (共享规则), pure Python: `values` (value domains), `requests` (the state machine), `grants`."""
