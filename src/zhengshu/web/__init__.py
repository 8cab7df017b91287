"""The shared web shell: error mapping, templating, base templates, static files (vendored htmx and ECharts)."""
