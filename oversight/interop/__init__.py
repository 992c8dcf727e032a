"""A council's existing records in: the CIN census XML and the SSDA903 return.

Each reader turns its files into plain values (`records.Incoming`: a child and the chronology events
of docs/spec/timescales.md it holds), checking the whole file as it goes, before anything is written:

    cin.read(sources, as_of=..., policy=...)       the CIN census (`Message/Children/Child`)
    ssda903.read(sources, as_of=..., policy=...)   the SSDA903 header, episodes and reviews CSVs

Both give a `problems.Report` (every problem with its file, line or XML path, field and reason,
each an error or a warning as the Department's validator classes it) and the children found.
`actions.import_children` then writes them, all or nothing, in one audited transaction, through
`oversight.cases.actions.record_event` (the same check as the child's page, and the child's
obligations recomputed), adding only the events Oversight does not hold yet (matched on the
council's child reference and each event's type and date). `oversight import cin|903 FILE…` is
the command (`management/commands/import.py`)."""
