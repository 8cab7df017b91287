"""Ingestion (归集): reading a department's source — a CSV, XLSX, JSON or JSON Lines file, a table or query of
its database, or its HTTP JSON API — as text, in bounded memory, batch by batch, each row carrying the row number
people see in the source, so that every later stage (mapping to catalogue items, standardising, validating,
writing a dataset version) can name the file, row and field of anything it finds wrong."""
