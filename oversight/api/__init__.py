"""The JSON API under /api/v1/ (django-ninja): one API (`v1.api`), a router per area, on the same
actions and access functions as the pages. Its schema is at /api/v1/openapi.json, read at
/api/v1/docs.

    v1.py           the API object, its authentication and its error bodies
    auth.py         who is calling: a session (the pages' cookie, with the CSRF header on a
                    write) or an API token (`Authorization: Bearer ...`)
    tokens.py       making, revoking and checking API tokens (a digest kept, the secret shown once)
    problems.py     every error as RFC 9457 problem details
    conventions.py  cursor pagination, ETags and If-Match, Idempotency-Key, and what the
                    document says of each (`documented`; a write's body declared by `takes`)
    children.py     children, their obligations, flags and chronology events
    obligations.py  obligations across the caller's caseload
    policies.py     the active policy pack (read)
    concerns.py     concerns and escalation: raise, respond, issue a notice, resolve
    complaints.py   the complaints log: list, read, record, acknowledge, answer, raise a concern

Conventions (every router keeps them):
- the same access functions as the pages: `child_for_user` / `concern_for_user` /
  `complaint_for_user` run before the body is read (`bodies.body`), so a child, concern or
  complaint outside the caller's scope is 404 whatever was sent; a read-only token that writes is 403;
- the same actions and rules as the pages, which alone decide what is allowed: a refusal about
  the input is 422 and names the field, a refusal about who is acting is 403;
- every error body is problem details (`application/problem+json`: `type`, `title`, `status`,
  `detail`), a 422 with `errors: [{"loc": ["body", "field", ...], "msg": "...", "type": "..."}]`;
- dates are ISO 8601; every list is cursor-paginated by id (`{"items": [...], "next": cursor}`,
  `next` null on the last page; a cursor or limit this API did not give is 400 naming it); a resource carries an `ETag` and an update must send it in `If-Match`
  (428 without, 412 when stale): every PATCH, PUT and DELETE, and every POST that changes an
  existing resource (a concern's step, a complaint's, a draft's completion: `conventions.step`,
  whose answer carries the new ETag); a POST may send `Idempotency-Key` (a retry returns the first
  answer, never a duplicate); each write declares its body on its view (`@takes(Schema)`, read
  by `bodies.body` after the access check), and the OpenAPI document gives every operation
  its body, these headers and its problems from the same rules (`conventions.documented`);
- every call with a token is audited with the token's name (`AuditEntry.via`).
"""
