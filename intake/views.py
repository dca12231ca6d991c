from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def screening_request(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/screening_unavailable.html")
