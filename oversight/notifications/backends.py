"""The ways a message leaves Oversight: an email by one of two backends, chosen by
OVERSIGHT_NOTIFY_BACKEND, and a webhook (`send_webhook`, when OVERSIGHT_WEBHOOK_URL is set):

- `smtp`: Django's email through the default mailer of MAILERS (SMTP in production, files under
  var/mail in development), with the message's own Message-ID header;
- `notify`: GOV.UK Notify's API, templates by ID, the message's Message-ID as the reference.

Each `send_…` returns the provider's reference for the message ("" for SMTP) or raises:
`PermanentError` when trying again cannot help (the address or the request is refused), any other
exception when it may (the server is down, times out or answers 4xx/5xx for now)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import smtplib
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from oversight.notifications.constants import Backend

if TYPE_CHECKING:
    from oversight.notifications.models import Message, WebhookDelivery


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


# Webhooks: a 5xx, a 408 (timeout) or a 429 (too many) may pass; any other 4xx will not.
RETRIED_STATUSES = frozenset({408, 429})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 keyed by `secret` over `timestamp`, ".", `body`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(delivery: WebhookDelivery) -> int:
    """POST the webhook delivery once (`oversight.notifications.webhooks`), signed now; the
    receiver's status. Raises PermanentError when the receiver refused it, any other exception
    when trying again may help."""
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310  # the configured http(s) address only
        settings.OVERSIGHT_WEBHOOK_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Oversight webhook",
            "Oversight-Event": delivery.event,
            "Oversight-Delivery": str(delivery.delivery_id),
            "Oversight-Timestamp": timestamp,
            "Oversight-Signature": signature(settings.OVERSIGHT_WEBHOOK_SECRET, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310  # as above
            request, timeout=settings.OVERSIGHT_WEBHOOK_TIMEOUT_SECONDS
        ) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        if refused.code >= 500 or refused.code in RETRIED_STATUSES:
            raise
        raise PermanentError(f"the receiver answered {refused.code}") from refused
