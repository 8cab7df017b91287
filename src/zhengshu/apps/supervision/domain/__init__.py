"""The supervision module's pure core: reading a plan's task chapter, matching department names to the tree,
and the progress rules (report schedule, overdue and stalled). No I/O."""
