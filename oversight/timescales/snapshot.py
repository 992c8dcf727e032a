"""Refresh the committed England & Wales bank-holiday snapshot (`make bank-holidays`).

The snapshot is the GOV.UK list as shipped by the `govuk-bank-holidays` package (a development
dependency); the calendar itself uses `holidays`, and a test checks that the two agree."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

TARGET = Path(__file__).parent / "data" / "bank-holidays-england-and-wales.json"


def refresh() -> int:
    shipped = resources.files("govuk_bank_holidays").joinpath("bank-holidays.json")
    division = json.loads(shipped.read_text(encoding="utf-8"))["england-and-wales"]
    events = [
        {"date": e["date"], "title": e["title"], "notes": e["notes"]} for e in division["events"]
    ]
    snapshot = {
        "division": division["division"],
        "source": "GOV.UK bank-holidays.json, as shipped by the govuk-bank-holidays package",
        "events": events,
    }
    TARGET.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(events)


if __name__ == "__main__":
    print(f"{refresh()} bank holidays written to {TARGET}")
