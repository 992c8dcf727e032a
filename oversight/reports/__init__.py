"""The managers' view of the service: figures over the stored obligations and concerns, each
traceable to the children behind it. Read-only, and no other part imports it.

- `figures.py`: the one query layer (`figures(scope, period)`, `figure(key, scope, period)`,
  `Figure.children()`), never a second copy of the engine's rules: "in time" is the stored
  obligation's `on_time`, working days come from `oversight.timescales.dates`;
- `export.py`: the children behind a figure as CSV, every cell safe to open in a spreadsheet;
- `command.py`: `oversight report dashboard ...` for scripts and schedulers.
"""
