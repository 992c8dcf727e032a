"""A council's existing records in, and the statutory returns out.

Each reader turns its files into plain values (`records.Incoming`: a child and the chronology events
of docs/spec/timescales.md it holds), checking the whole file as it goes, before anything is written:

    cin.read(sources, as_of=..., policy=...)       the CIN census (`Message/Children/Child`)
    ssda903.read(sources, as_of=..., policy=...)   the SSDA903 header, episodes and reviews CSVs
    ssd.read(sources, as_of=..., policy=...)       the Standard Safeguarding Dataset's tables (CSV)
    events.read(sources, as_of=..., policy=...)    plain CSV of events in the contract's words

Each gives a `problems.Report` (every problem with its file, line or XML path, field and reason,
each an error or a warning as the Department's validator classes it) and the children found
(`records.Children`; `whole()` gives each with its events: the census's reader checks the file as
it streams past and sets the events aside in a temporary file, `records.Spool`, which `whole()`
reads back as they are written, so that the file is parsed once; the
Standard Safeguarding Dataset's workers' involvements come as `Children.involvements`).
`actions.import_children` then writes them, all or nothing, in one audited transaction, a batch of
children at a time through `oversight.cases.actions.record_chronologies` (the same check as the
child's page, and the children's obligations recomputed together), adding only the events Oversight does not hold yet (matched on the
council's child reference and each event's type and date). `oversight import cin|903|ssd|events
FILE…` is the command (`management/commands/import.py`); large uploads of the page go through the
background worker (`tasks.py`), kept where every host finds them (`uploads.py`); those never
confirmed are removed, audited, by `oversight discard_uploads`.

`export.write_return` makes the CIN census's child protection modules and the SSDA903 reviews
and episodes tables of a collection year from Oversight's data (`oversight export
cin|903|903-episodes --year YYYY`); an SSDA903 episode's placement comes in and goes out as the
placement events the pages record (`ssda903.placement_details`)."""
