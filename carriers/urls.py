from django.urls import path

from . import api, revocation_views, views, views_duties

app_name = "carriers"

urlpatterns = [
    path("api/v1/eligibility/<str:type_code>/", api.eligibility, name="api_eligibility"),
    path("eligibility/", views.eligibility_index, name="eligibility_index"),
    path("eligibility/<str:type_code>/", views.eligibility_check, name="eligibility_type"),
    path("carriers/<int:pk>/certificate.pdf", views.certificate_download, name="certificate"),
    path("carriers/<int:pk>/withdraw-request/", revocation_views.withdraw_request, name="withdraw_request"),
    path("city/carriers/", revocation_views.city_carriers, name="city_carriers"),
    path("city/carriers/<int:pk>/revoke/", revocation_views.revoke, name="revoke"),
    # Reporting duties and major changes (views_duties)
    path("duties/", views_duties.duties_hub, name="duties"),
    path("duties/reports/", views_duties.reports_mine, name="reports"),
    path("duties/reports/<int:carrier_pk>/<int:period_pk>/", views_duties.report_edit, name="report_edit"),
    path("duties/reports/view/<int:pk>/", views_duties.report_detail, name="report_detail"),
    path("duties/reports/overdue/", views_duties.reports_overdue, name="reports_overdue"),
    path("duties/reports/overdue.csv", views_duties.reports_overdue_csv, name="reports_overdue_csv"),
    path("duties/reports/received/", views_duties.reports_received, name="reports_received"),
    path("duties/changes/", views_duties.changes_list, name="changes"),
    path("duties/changes/new/<int:carrier_pk>/", views_duties.change_new, name="change_new"),
    path("duties/changes/<int:pk>/", views_duties.change_detail, name="change_detail"),
    path("duties/changes/<int:pk>/district/", views_duties.change_district, name="change_district"),
    path("duties/changes/<int:pk>/decide/", views_duties.change_decide, name="change_decide"),
    path("duties/changes/<int:pk>/evidence/", views_duties.change_evidence, name="change_evidence"),
]
