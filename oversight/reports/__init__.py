"""The managers' view of the service: figures over the stored obligations, events and concerns,
each traceable to the children behind it, and the documents and lists made of them. Read-only,
and no other part imports it.

- `figures.py`: the one query layer (`figures(scope, period)`, `figure(key, scope, period)`,
  `Figure.children()`, `caseloads_on`, `by_month`), never a second copy of the engine's rules:
  "in time" is the stored obligation's `on_time`, plans and episodes are the engine's,
  working days come from `oversight.timescales.dates`;
- `documents.py`: the dashboard, monthly, quarterly, annual, partnership and supervision
  documents as sections of those figures and tables; `render.py` writes them as JSON, CSV,
  XLSX, Word and PDF;
- `annex_a.py`: Ofsted's Annex A lists 5, 7 and 8, streamed a child at a time;
- `trends.py`: the 12 months' figures with what the dashboard's SVG bar charts need;
- `export.py`: tables as CSV or XLSX, written as read, every cell safe to open in a spreadsheet;
- `command.py`: `oversight report NAME ...` for scripts and schedulers;
- `replica.py`: the pages and the command read from a replica when one is configured
  (`DATABASE_REPLICA_URL`), through its database router.
"""
