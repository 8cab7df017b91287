"""Applications the city plan asks for, built on the core platform and the base registries (policy library,
electronic supervision of plan tasks, ...)."""
