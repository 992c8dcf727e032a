"""What is wrong with a file, said once per problem: where, which field, why, and how bad.

An error stops the whole import (nothing is written); a warning is reported and imported. The
class of each follows the Department's validator for the field (an ICPC held late is a warning:
the fact is true, only the practice was late)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    # A line of a CSV file ("line 12") or an element's path in an XML file.
    where: str
    field: str
    reason: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}, {self.where}, {self.field}: {self.reason}"


@dataclass
class Report:
    """Every problem found in the files of one import, in the order found."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str, where: str, name: str, reason: str) -> None:
        self.problems.append(Problem(file, where, name, reason, Severity.ERROR))

    def warning(self, file: str, where: str, name: str, reason: str) -> None:
        self.problems.append(Problem(file, where, name, reason, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(p) | {"severity": str(p.severity)} for p in self.problems]

    @classmethod
    def from_json(cls, problems: list[dict[str, Any]]) -> Report:
        """A report as `as_json` wrote it (kept by the background worker for the page)."""
        return cls([Problem(**(p | {"severity": Severity(p["severity"])})) for p in problems])
