"""The public site (no login): read-only pages over every app."""

from django.shortcuts import render

from applications.models import Round


def home(request):
    rounds = Round.objects.open_now().select_related("carrier_type").order_by("closes_on")
    return render(request, "public/home.html", {"open_rounds": rounds})
