from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    # The unit: its carriers' self-assessments (自评)
    path("evaluations/", views.mine, name="mine"),
    path("evaluations/<int:campaign_pk>/carriers/<int:carrier_pk>/", views.fill, name="fill"),
    # The district: tracking opinion on BJ stations (第十八条)
    path("district/evaluations/", views.district_list, name="district_list"),
    path("district/evaluations/<int:pk>/", views.district_detail, name="district_detail"),
    # The city: campaigns and the review (复核)
    path("city/evaluations/", views.city_campaigns, name="city_campaigns"),
    path("city/evaluations/new/", views.campaign_new, name="campaign_new"),
    path("city/evaluations/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("city/evaluations/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("city/evaluations/assessments/<int:pk>/", views.city_review, name="city_review"),
    path("city/evaluations/assessments/<int:pk>/reassess/", views.city_reassess, name="city_reassess"),
]
