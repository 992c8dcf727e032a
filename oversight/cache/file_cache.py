"""The caches one host's processes share without Redis (the sessions, with the API's rate
counters, and the page versions): Django's file cache, culled once every `WRITES_PER_CULL`
writes of a process instead of at every write."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """Django's `FileBasedCache`, which lists every file of its directory at each write to
    count them against `MAX_ENTRIES` (issue 17's API, profiled at 10,000 children: the rate
    counter's write, one a call, listed the sessions' 600 files each time, a quarter of an
    events page's time; the page versions keep one file a child). Here a process counts them
    at its first write and then once every `WRITES_PER_CULL`, so that a directory may hold up
    to `WRITES_PER_CULL` entries a process beyond `MAX_ENTRIES` until that process's next
    count takes it back under (Django's cull: a random `1/CULL_FREQUENCY` of the entries)."""

    WRITES_PER_CULL = 100

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes_to_cull = 0

    def _cull(self) -> None:
        if self._writes_to_cull > 0:
            self._writes_to_cull -= 1
            return
        self._writes_to_cull = self.WRITES_PER_CULL - 1
        super()._cull()  # type: ignore[misc]  # Django's, not in its stubs
