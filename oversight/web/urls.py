from django.contrib.auth import views as auth_views
from django.urls import path

from oversight.web import (
    views,
    views_access,
    views_allocation,
    views_audit,
    views_caseload,
    views_diary,
    views_events,
    views_inbox,
    views_policy,
    views_retention,
    views_two_factor,
)
from oversight.web.sso import (
    SignOnCallback,
    SignOut,
    StartSignOn,
    backchannel_logout,
    sign_on_refused,
)
from oversight.web.views_messages import message_list

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="web/sign_in.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", SignOut.as_view(), name="logout"),
    path("sign-out/everywhere/", views.sign_out_everywhere_page, name="sign_out_everywhere"),
    # Single sign-on (oversight.web.sso): off to the provider, its answer, and a refusal.
    # (the names mozilla-django-oidc reverses)
    path("sign-in/oidc/authenticate/", StartSignOn.as_view(), name="oidc_authentication_init"),
    path("sign-in/oidc/callback/", SignOnCallback.as_view(), name="oidc_authentication_callback"),
    path("sign-in/refused/", sign_on_refused, name="sign_on_refused"),
    path("sign-in/oidc/backchannel-logout/", backchannel_logout, name="oidc_backchannel_logout"),
    path("sign-in/code/", views_two_factor.verify, name="two_factor_verify"),
    path("two-factor/", views_two_factor.setup, name="two_factor_setup"),
    path("children/", views.children, name="children"),
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("team/", views_caseload.team, name="team"),
    *(
        path(f"{page}/obligations.{fmt}", export, {"fmt": fmt}, name=f"{page}_{fmt}")
        for page, export in (
            ("caseload", views_caseload.caseload_export),
            ("team", views_caseload.team_export),
        )
        for fmt in ("csv", "xlsx")
    ),
    path("diary/", views_diary.diary_page, name="diary"),
    path("children/<int:child_id>/", views_events.child, name="child"),
    path(
        "children/<int:child_id>/summary.pdf",
        views_events.child_summary_pdf,
        name="child_summary_pdf",
    ),
    path(
        "children/<int:child_id>/whole-record.zip",
        views_events.child_whole_record,
        name="child_whole_record",
    ),
    path("children/<int:child_id>/events/new/", views_events.event_new, name="event_new"),
    path(
        "children/<int:child_id>/events/<int:event_id>/change/",
        views_events.event_edit,
        name="event_edit",
    ),
    path(
        "children/<int:child_id>/events/<int:event_id>/remove/",
        views_events.event_remove,
        name="event_remove",
    ),
    path("open-record/", views_access.open_record_page, name="open_record"),
    path("open-record/approvals/", views_access.approvals, name="open_record_approvals"),
    path("audit/", views_audit.audit, name="audit"),
    path("allocation/", views_allocation.allocation, name="allocation"),
    path("allocation/duty-rota/", views_allocation.duty_rota, name="duty_rota"),
    path("allocation/cover/", views_allocation.cover, name="cover"),
    path("allocation/<int:child_id>/", views_allocation.allocate, name="allocate"),
    path("retention/", views_retention.retention_reviews, name="retention"),
    path("messages/", message_list, name="messages"),
    path("inbox/", views_inbox.inbox_page, name="inbox"),
    path("policy/", views_policy.policy_page, name="policy"),
    path("inbox/read/", views_inbox.inbox_mark_read, name="inbox_read"),
    path("healthz", views.healthz, name="healthz"),
]
