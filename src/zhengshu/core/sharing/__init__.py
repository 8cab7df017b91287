"""Sharing (数据共享): departments request catalogue resources; the data authority checks compliance, the
provider decides; approved requests become grants (consumer, fields, rows, purpose, expiry, quota), which the
exchange enforces on every read; and a board where departments post data needs (数据需求)."""
