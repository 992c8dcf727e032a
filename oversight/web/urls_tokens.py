from django.urls import path

from oversight.web import views_tokens

urlpatterns = [
    path("api-tokens/", views_tokens.api_tokens, name="api_tokens"),
    path(
        "api-tokens/<int:token_id>/revoke/",
        views_tokens.revoke_api_token,
        name="revoke_api_token",
    ),
    path("api-tokens/webhooks/", views_tokens.webhook_deliveries, name="webhook_deliveries"),
]
