"""Fusion (融合): the engine that builds base registries (人口基础库, 法人基础库, ...) from many departments' datasets
— entity resolution, golden records with 一数一源, stable ids, incremental runs, publication as datasets and as
a 基础目录 resource, correction tasks for conflicts, the fusion report and the review queue.

How a registry plugs in (core never imports registries, so the registry hands the engine a spec):

1. Write a rule table (JSON in the registry's package, format of `golden.parse_authority`; read it with
   `service.load_authority(package)`): each field's title, standardiser, authoritative dataset (部门/资源名,
   the catalogue's provider name and resource name) and source items; each dataset's date item.
2. Build a `service.RegistrySpec`: code, title, id column title and prefix, owning department, the rule table,
   `rows(source, frame)` (a source dataset → link input rows `source`, `row` from 1, text fields), `link(rows)`
   (rows → `source`, `row`, `cluster`, `link`, `match_weight`), the link `fields`, `neighbour_fields` (a shared
   value brings an existing cluster into an incremental re-link), `key_fields` (a source must fill one),
   the catalogue entry (`EntryCreate` data without items) and `classify(item)` for the items' levels.
3. In the registry's `module.py`: `service.declare_registry(code, build_spec)` (for the report pages), and in
   its `cli.py`: `registry_command("entities", code, help)` from `zhengshu.core.fusion.cli` adds
   `zhengshu fuse entities`. Run it with `service.run_fusion(uow, actor, store, spec, progress)`.
4. Portraits read `service.registry_record(uow, actor, store, code, id)`: each golden value with its lineage
   (source, resource, version, row, date) and the member rows.
"""
