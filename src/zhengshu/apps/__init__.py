"""Application modules (应用): what the platform runs on top of its core and base registries for citizens,
enterprises and staff (policy library and Q&A, supervision, ...)."""
