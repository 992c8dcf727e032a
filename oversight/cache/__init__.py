"""What the pages remember between requests, and the version that keeps it true (issue 6,
performance; issue 12: one explicit part, safe on several hosts).

The part sits beside `cases` (it names the case models it watches, by label); `web` uses it;
nothing here imports `web`.

- `data_version`: the shared versions of the data (who may see what; each child's record; every
  record; the records of each person's caseload; each person's inbox) and the per-process
  memory under them.
- `watched`: every model whose change bumps a version, and which, the one place they are named.
- `compiled`: querysets compiled to SQL once, run with one value changed.
- `page_cache`: the busiest pages' rendered parts.
- `backends`: the signed-in user, read once per version.
- `checks`: several hosts refuse to start without a shared cache.

Rules:

1. What may be remembered: who a user is (`backends`), the staff member behind them and what
   their access compiles to and decides (`oversight.cases.access`), My caseload and the child
   page rendered whole (`page_cache`; their holes for the CSRF token and the unread count filled
   on each request by `oversight.web.remembered_pages`), a person's unread messages
   (`oversight.notifications.inbox`, under their inbox version). Only in this process, under
   `remember`, and only what the watched models determine.
2. Under which key parts: the versions the value depends on (read before the data): the access
   version (`current(ACCESS)`) in every key, since every remembered value is someone's view;
   a child page's the child's own (`child(pk)`, read once the access check has found the child)
   and every record's (`RECORDS`); a caseload's every record's and its people's (`holders(ids)`:
   the records of the children that I, whom I cover for, and my line hold). Then the viewer, the
   day, and every request value the build reads (filter, page number, language, pack). Each
   request value is validated before it becomes a key part (an unknown filter is the default,
   a page number is one of the real pages, an id no child has is not remembered): a request
   must not be able to make new entries at will. A value that stops being true at a moment of
   its own (an access that ends at 14:00) says so with `until`. The memory is bounded by bytes
   (`OVERSIGHT_REMEMBER_BYTES`, each value's size estimated), least recently used first out.
3. What must bump: every write to a model in `watched.WATCHED` goes through its signals (save,
   delete, a queryset's `delete()`, which sends them per row), which bump what `WATCHED` says
   the model's change makes stale (who may see what, its child's record, every record, or
   everything); a write that bypasses them (`QuerySet.update`, `bulk_create`, `bulk_update`, raw
   SQL on their tables, or any write to `watched.BUMPED_BY_WRITER`) calls one of
   `data_version.bump()`, `bump_access()`, `bump_records()`, `bump_child(pk)` or
   `bump_inbox(staff_id)` in the same function, or is listed with its reason in the convention
   test (`tests/test_bumps.py`). When in doubt, `bump()`: too wide costs rebuilds, too narrow a
   stale page.
4. What nothing else may cache: case data (children, staff, access, obligations, concerns)
   lives only in the database and under this part's memory; no other module keeps it in a
   module-level variable, `functools.cache` or a Django cache. The shared caches
   (`page_versions` for the version, `sessions` for sessions) come from `CACHE_URL` when several
   hosts serve the pages (`OVERSIGHT_HOSTS`).
"""
