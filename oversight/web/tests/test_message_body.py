"""The inbox shows a message's text with its lines, and the links an email carries to pages of
Oversight as links the reader follows to the page on the server they are signed in to; anything
else in the text stays text, escaped."""

from __future__ import annotations

from oversight.web.templatetags.oversight import message_body


def test_a_link_to_oversight_is_followed_on_this_server(settings):
    settings.OVERSIGHT_BASE_URL = "https://oversight.council.invalid"
    body = "Review it.\nSee the council's policy in Oversight: https://oversight.council.invalid/policy/."
    assert message_body(body) == (
        "Review it.<br>See the council&#x27;s policy in Oversight: "
        '<a class="govuk-link" href="/policy/">https://oversight.council.invalid/policy/</a>.'
    )


def test_other_text_and_other_servers_stay_words(settings):
    settings.OVERSIGHT_BASE_URL = "https://oversight.council.invalid"
    body = (
        "<b>bold</b> https://elsewhere.invalid/policy/ "
        "https://oversight.council.invalid//elsewhere.invalid/ "
        "https://oversight.council.invalid.elsewhere.invalid/policy/"
    )
    assert message_body(body) == (
        "&lt;b&gt;bold&lt;/b&gt; https://elsewhere.invalid/policy/ "
        "https://oversight.council.invalid//elsewhere.invalid/ "
        "https://oversight.council.invalid.elsewhere.invalid/policy/"
    )
