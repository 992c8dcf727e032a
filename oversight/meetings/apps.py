from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "oversight.meetings"
    label = "meetings"
    verbose_name = "Conferences, reviews, consultations and other meetings"
