from django.urls import path

from . import api, views

app_name = "carriers"

urlpatterns = [
    path("api/v1/eligibility/<str:type_code>/", api.eligibility, name="api_eligibility"),
    path("eligibility/", views.eligibility_index, name="eligibility_index"),
    path("eligibility/<str:type_code>/", views.eligibility_check, name="eligibility_type"),
    path("carriers/<int:pk>/certificate.pdf", views.certificate_download, name="certificate"),
]
