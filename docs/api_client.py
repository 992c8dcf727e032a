"""A council system's client of the Oversight API that knows nothing but its OpenAPI document.

    python docs/api_client.py --base http://127.0.0.1:8000 --token ovs_... \\
        --iro USERNAME --answer-token ovs_... --existing-child REFERENCE

With the token of an IRO team manager (`--token`) it registers a child, gives it to the IRO
`--iro`, records a strategy discussion that starts section 47 enquiries and the initial child
protection conference, and reads the obligations the engine derived (the ICPC due 15 working
days after the discussion, met; the first core group due 10 working days after the ICPC). Then
it raises a concern about the child `--existing-child` (one with a social worker) and answers it
with the token of the person it is addressed to (`--answer-token`). It prints each step and
exits 0, or prints the problem the API gave and exits 1.

Every path comes from /api/v1/openapi.json by operation id, and so do the headers each operation
takes (If-Match on an update, Idempotency-Key on a POST); a list comes in pages, each naming the
cursor of the next. Nothing else is assumed. Python's
standard library only, so that a council's IT team can run it anywhere."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self.etag: str | None = None  # the last answer's ETag: an update sends it as If-Match
        document = self._send("GET", "/api/v1/openapi.json", None)
        # Each operation's method, path and the headers the document says it takes.
        self.operations = {
            operation["operationId"]: (
                method.upper(),
                path,
                {p["name"]: p["required"] for p in operation["parameters"] if p["in"] == "header"},
            )
            for path, item in document["paths"].items()
            for method, operation in item.items()
        }

    def call(
        self,
        operation_id: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        if_match: str | None = None,
        **params: Any,
    ) -> Any:
        method, path, takes = self.operations[operation_id]
        if takes.get("If-Match") and not if_match:
            raise Problem({"detail": f"{operation_id} requires If-Match: read the resource first"})
        url = path.format(**params)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {}
        if if_match:
            headers["If-Match"] = if_match
        if "Idempotency-Key" in takes:
            headers["Idempotency-Key"] = str(uuid.uuid4())  # safe to retry
        return self._send(method, url, body, headers)

    def every(self, operation_id: str, **params: Any) -> list[Any]:
        """Every item of a list operation, page after page: each page's `next` is the cursor
        of the one after it, or null on the last."""
        items: list[Any] = []
        query: dict[str, str] = {}
        while True:
            found = self.call(operation_id, query=query, **params)
            items.extend(found["items"])
            if found["next"] is None:
                return items
            query = {"cursor": found["next"]}

    def _send(
        self, method: str, path: str, body: Any, headers: dict[str, str] | None = None
    ) -> Any:
        headers = {
            **(headers or {}),
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
        }
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if not self.base.startswith(("http://", "https://")):
            raise Problem({"detail": "--base must be an http:// or https:// address"})
        url = self.base + path
        request = urllib.request.Request(url, data, headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                self.etag = response.headers.get("ETag")
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise Problem(json.loads(error.read() or b"{}")) from None


class Problem(Exception):
    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(f"{problem.get('status')} {problem.get('title')}: {problem.get('detail')}")
        self.problem = problem


def working_days_before(day: dt.date, n: int) -> dt.date:
    """A weekday `n` weekdays before `day` (bank holidays aside: the server says which are)."""
    while n:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def run(args: argparse.Namespace) -> None:
    manager = Api(args.base, args.token)
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    child = manager.call(
        "oversight_api_children_register_child",
        {"reference": args.reference or f"API{uuid.uuid4().hex[:8].upper()}",
         "first_name": "Robin", "last_name": "Example", "date_of_birth": "2019-05-14"},
    )  # fmt: skip
    print(f"registered child {child['reference']} (id {child['id']})")
    manager.call(
        "oversight_api_children_allocate_iro",
        {"iro": args.iro, "reason": "New to the service", "confirm": True},
        child_id=child["id"],
    )
    print(f"allocated to {args.iro}")
    discussed = working_days_before(today, 12)
    manager.call(
        "oversight_api_meetings_complete_meeting",
        {"kind": "strategy", "values": {"meeting_type": "s47", "date": discussed.isoformat()}},
        child_id=child["id"],
    )
    obligations = manager.every("oversight_api_children_child_obligations", child_id=child["id"])
    icpc = next(o for o in obligations if o["code"] == "cp.icpc")
    print(f"strategy discussion on {discussed}: the ICPC is due by {icpc['due']}")
    manager.call(
        "oversight_api_meetings_complete_meeting",
        {"kind": "icpc",
         "values": {"date": today.isoformat(), "quorate": "yes", "outcome": "no_plan",
                    "decided_by": "consensus", "cin_plan": True}},
        child_id=child["id"],
    )  # fmt: skip
    obligations = manager.every("oversight_api_children_child_obligations", child_id=child["id"])
    icpc = next(o for o in obligations if o["code"] == "cp.icpc")
    print(f"ICPC held on {today}: {icpc['status']}, on time: {icpc['on_time']}")
    if icpc["status"] != "met":
        raise Problem({"detail": "the ICPC obligation was not met by the ICPC"})

    existing = manager.call(
        "oversight_api_children_list_children", query={"search": args.existing_child}
    )["items"][0]
    concern = manager.call(
        "oversight_api_concerns_raise_concern",
        {"issue": "The core group has not met since the conference",
         "impact": "The plan is not being progressed"},
        child_id=existing["id"],
    )  # fmt: skip
    due = concern["deadlines"][0]["due"] if concern["deadlines"] else "none"
    print(f"concern {concern['id']} raised on {existing['reference']}: response due {due}")
    addressee = Api(args.base, args.answer_token)
    addressee.call("oversight_api_concerns_read_concern", concern_id=concern["id"])
    answer = addressee.call(
        "oversight_api_concerns_respond",
        {"accepted": True, "reasons": "Core group booked for next week"},
        if_match=addressee.etag,  # the concern as read: 412 if someone acted on it since
        concern_id=concern["id"],
    )
    print(f"concern {answer['id']} answered: {answer['status']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True, help="an IRO team manager's API token")
    parser.add_argument("--iro", required=True, help="the IRO's username")
    parser.add_argument("--answer-token", required=True, help="the addressee's API token")
    parser.add_argument("--existing-child", required=True, help="a child's reference")
    parser.add_argument("--reference", help="the new child's reference (default: made up)")
    parser.add_argument("--today", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        run(args)
    except Problem as problem:
        print(f"the API refused: {problem}", file=sys.stderr)
        for error in problem.problem.get("errors", []):
            print(f"  {'.'.join(str(p) for p in error['loc'])}: {error['msg']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
