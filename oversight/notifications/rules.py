"""What leaves the building: to whom Oversight may send an email, and the link a message carries
in place of the case's content.

- `address_problem(address)`: why an address typed in (a partner agency's contact) may not be
  emailed, or None: it must be a valid email address at one of the council's allowed domains
  (`OVERSIGHT_EMAIL_DOMAINS`, each with its subdomains). Staff are emailed at their staff
  record's address.
- `link(path)`: the full address of a page of Oversight (`OVERSIGHT_BASE_URL`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def address_problem(address: str) -> str | None:
    """None when `address` may be emailed; else the sentence that says why not."""
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        return "Enter an email address in the correct format, like name@example.org"
    domain = address.rpartition("@")[2].lower()
    allowed = [d.lower().lstrip(".") for d in settings.OVERSIGHT_EMAIL_DOMAINS]
    if any(domain == d or domain.endswith("." + d) for d in allowed):
        return None
    if not allowed:
        return "Oversight sends email only to staff: the council allows no other addresses"
    return f"Oversight sends email only to the council's partner domains ({', '.join(allowed)})"


def link(path: str) -> str:
    """The address of page `path` ("/concerns/12/") for someone reading an email."""
    return settings.OVERSIGHT_BASE_URL.rstrip("/") + path
