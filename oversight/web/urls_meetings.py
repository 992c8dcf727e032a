from django.urls import path

from oversight.meetings.forms import FORMS
from oversight.web import views_diary
from oversight.web import views_meetings as views

urlpatterns = [
    path("meetings/dip-sample/", views.dip_sample, name="dip_sample"),
    path("children/<int:child_id>/meetings/", views.meeting_list, name="meeting_list"),
    *[
        path(
            f"children/<int:child_id>/meetings/{kind.replace('_', '-')}/new/",
            views.meeting_new,
            {"kind": kind},
            name=f"meeting_new_{kind}",
        )
        for kind in FORMS
    ],
    path(
        "children/<int:child_id>/consultation-request/",
        views.consultation_request,
        name="consultation_request",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/",
        views.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/record.pdf",
        views.meeting_detail,
        {"as_pdf": True},
        name="meeting_record_pdf",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/change/",
        views.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "children/<int:child_id>/bookings/<int:entry_id>/cancel/",
        views_diary.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/documents/new/",
        views.document_new,
        name="meeting_document_new",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/documents/<int:document_id>/",
        views.document_download,
        name="meeting_document",
    ),
]
