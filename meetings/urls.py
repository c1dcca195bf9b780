from django.urls import include, path

app_name = "meetings"
urlpatterns = [
    # Panel dates, scheduling, the meeting page, invitations and attendance.
    path("", include("meetings.urls_schedule")),
    # Minutes: drafting, finalising, corrections, distribution, the PDF.
    path("", include("meetings.urls_minutes")),
]
