"""The one shape of an uploaded file that the judges of its content and the scanner need."""

from __future__ import annotations

from typing import Protocol


class File(Protocol):
    """An uploaded file as Django gives it (or any binary file): read from a position."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...
