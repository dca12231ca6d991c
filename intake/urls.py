from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.screening_request, name="screening"),
    path("received/", views.screening_request_received, name="received"),
]
