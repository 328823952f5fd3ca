"""Public pages. Names are global (no namespace) where the whole site links to them."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
