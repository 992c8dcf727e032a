from django.urls import path

from oversight.web import views_complaints as views

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaints"),
    path("children/<int:child_id>/complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path(
        "complaints/<int:complaint_id>/acknowledge/",
        views.complaint_step,
        {"step": "acknowledge"},
        name="complaint_acknowledge",
    ),
    path(
        "complaints/<int:complaint_id>/respond/",
        views.complaint_step,
        {"step": "respond"},
        name="complaint_respond",
    ),
    path(
        "complaints/<int:complaint_id>/concern/", views.complaint_concern, name="complaint_concern"
    ),
]
