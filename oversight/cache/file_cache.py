"""The caches one host's processes share without Redis (the sessions, with the API's rate
counters, and the page versions): Django's file cache, culled once every `WRITES_PER_CULL`
writes of a process instead of at every write, with its counters added to in place."""

from __future__ import annotations

import pickle
import time
import zlib
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


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

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add `delta` to a number kept under `key` and give the sum (ValueError when there is
        none, or it has expired), keeping its expiry, as Redis's INCR does; rewritten in its own
        file under that file's lock, so that two processes adding at once both count. Django's
        reads the number and then writes a new file over the old (`set`), losing one of two
        additions at once, resetting the expiry to the cache's default, and costing a call to
        the API a rename over an existing file, which ext4 makes wait for the new file's data
        (issue 17's benchmark: 1 to 4 ms of a 10 ms call, the rate counter's one write a call)."""
        name = self._key_to_file(key, version)  # type: ignore[attr-defined]  # not in the stubs
        try:
            with open(name, "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    expiry = pickle.load(f)  # noqa: S301 (the host's own cache, as Django's)
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key {key!r} has expired")
                    value: int = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
                    return value
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            raise ValueError(f"Key {key!r} not found") from None
