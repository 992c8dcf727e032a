from django.urls import path

from oversight.web import views_concerns as views

urlpatterns = [
    path("children/<int:child_id>/concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/", views.concern_list, name="concerns"),
    *(
        path(f"concerns/open.{fmt}", views.concerns_export, {"fmt": fmt}, name=f"concerns_{fmt}")
        for fmt in ("csv", "xlsx")
    ),
    path("concerns/challenge-meeting/", views.challenge_meeting, name="challenge_meeting"),
    path(
        "concerns/challenge-meeting.docx",
        views.challenge_meeting_docx,
        name="challenge_meeting_docx",
    ),
    path("concerns/<int:concern_id>/", views.concern_detail, name="concern"),
    path(
        "concerns/<int:concern_id>/record.pdf", views.concern_record_pdf, name="concern_record_pdf"
    ),
    path(
        "concerns/<int:concern_id>/notices/<int:notice_id>/",
        views.concern_notice_record,
        name="concern_notice_record",
    ),
    path(
        "concerns/<int:concern_id>/notices/<int:notice_id>.pdf",
        views.concern_notice_record,
        {"as_pdf": True},
        name="concern_notice_pdf",
    ),
    path("concerns/<int:concern_id>/respond/", views.concern_respond, name="concern_respond"),
    path("concerns/<int:concern_id>/notice/", views.concern_notice, name="concern_notice"),
    path("concerns/<int:concern_id>/extend/", views.concern_extend, name="concern_extend"),
    path("concerns/<int:concern_id>/resolve/", views.concern_resolve, name="concern_resolve"),
    path("concerns/<int:concern_id>/referral/", views.concern_referral, name="concern_referral"),
    path("concerns/<int:concern_id>/warn/", views.concern_warn, name="concern_warn"),
    path(
        "concerns/<int:concern_id>/stage-meeting/",
        views.concern_stage_meeting,
        name="concern_stage_meeting",
    ),
    path("concerns/<int:concern_id>/agenda/", views.concern_agenda, name="concern_agenda"),
    path(
        "concerns/<int:concern_id>/meeting-outcome/",
        views.concern_meeting_outcome,
        name="concern_meeting_outcome",
    ),
]
