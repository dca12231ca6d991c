from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.screening_step, name="screening"),
    path("check/", views.screening_check, name="check"),
    path("received/", views.screening_request_received, name="received"),
    path("help-now/", views.screening_help_now, name="help_now"),
    path("delete/", views.screening_delete, name="delete"),
    path("<slug:step>/", views.screening_step, name="step"),
]
