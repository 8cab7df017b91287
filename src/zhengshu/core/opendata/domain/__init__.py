"""Open-data rules, pure Python: the privacy gate (`gate`), derived views (`views`), openings and their
states (`opening`), the open API's rate limit (`limits`)."""
