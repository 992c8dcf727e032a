"""The two ways a message leaves Oversight, chosen by OVERSIGHT_NOTIFY_BACKEND:

- `smtp`: Django's email through the default mailer of MAILERS (SMTP in production, files under
  var/mail in development), with the message's own Message-ID header;
- `notify`: GOV.UK Notify's API, templates by ID, the message's Message-ID as the reference.

Each `send_…` returns the provider's reference for the message ("" for SMTP) or raises:
`PermanentError` when trying again cannot help (the address or the request is refused), any other
exception when it may (the server is down, times out or answers 4xx/5xx for now)."""

from __future__ import annotations

import contextlib
import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from oversight.notifications.constants import Backend

if TYPE_CHECKING:
    from oversight.notifications.models import Message


class PermanentError(Exception):
    """The provider refused the message for good; it is marked failed without more attempts."""


def send(message: Message) -> str:
    """Send `message` with the configured backend."""
    if settings.OVERSIGHT_NOTIFY_BACKEND == Backend.NOTIFY:
        return send_notify(message)
    return send_smtp(message)


def send_smtp(message: Message) -> str:
    """Send through the default mailer. The connection is opened here and closed quietly after the
    server has accepted the message, so an error while saying goodbye cannot turn an accepted
    message into a failed attempt (and a second copy)."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
    )
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment, message.attachment_type)
    mailer = mailers.default
    mailer.open()
    try:
        sent = mailer.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        if all(code >= 500 for code, _text in exc.recipients.values()):
            raise PermanentError(f"recipient refused: {exc.recipients}") from exc
        raise
    finally:
        with contextlib.suppress(Exception):  # the message's fate is already known
            mailer.close()
    if not sent:
        raise RuntimeError("the mailer reported the message as not sent")
    return ""


def send_notify(message: Message) -> str:
    """Send through GOV.UK Notify. The template is the message's own or the generic one
    (OVERSIGHT_NOTIFY_TEMPLATE_ID, with ((subject)) and ((body)) placeholders). The reference is
    the message's Message-ID, so a message sent again after a crash can be matched with the first
    copy in Notify's records. Returns Notify's notification id."""
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    template_id = message.notify_template_id or settings.OVERSIGHT_NOTIFY_TEMPLATE_ID
    personalisation = message.personalisation or {
        "subject": message.subject,
        "body": message.body,
    }
    client = NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=30
    )
    try:
        response = client.send_email_notification(
            email_address=message.to_email,
            template_id=template_id,
            personalisation=personalisation,
            reference=message.message_id,
        )
    except HTTPError as exc:
        # 400 (bad request: template, personalisation, address) and 403 (key) will not get better;
        # 429 (rate limit) and 5xx will.
        if exc.status_code in {400, 403}:
            raise PermanentError(f"GOV.UK Notify refused the message: {exc}") from exc
        raise
    return str(response.get("id", ""))
