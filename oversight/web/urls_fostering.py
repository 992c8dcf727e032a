from django.urls import path

from oversight.web import views_fostering as views

urlpatterns = [
    path("fostering/", views.carer_list, name="carers"),
    path("fostering/new/", views.carer_new, name="carer_new"),
    path("fostering/<int:carer_id>/", views.carer_detail, name="carer"),
    path("fostering/<int:carer_id>/change/", views.carer_edit, name="carer_edit"),
    path("fostering/<int:carer_id>/reviews/new/", views.review_new, name="carer_review_new"),
    path("fostering/<int:carer_id>/concerns/new/", views.concern_new, name="carer_concern_new"),
    path("fostering/concerns/<int:carer_concern_id>/", views.concern_detail, name="carer_concern"),
    path(
        "fostering/concerns/<int:carer_concern_id>/respond/",
        views.concern_respond,
        name="carer_concern_respond",
    ),
    path(
        "fostering/concerns/<int:carer_concern_id>/escalate/",
        views.concern_escalate,
        name="carer_concern_escalate",
    ),
    path(
        "fostering/concerns/<int:carer_concern_id>/resolve/",
        views.concern_resolve,
        name="carer_concern_resolve",
    ),
]
