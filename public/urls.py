"""Public pages. Names are global (no namespace) where the whole site links to them."""

from django.urls import path

from . import views, views_statistics
from .feeds import NoticesFeed

urlpatterns = [
    path("", views.home, name="home"),
    # 认定名单 and certificate verification (证书编号 as printed and in the QR code)
    path("carriers/", views.carrier_list, name="carrier_list"),
    path("carriers/<str:number>/", views.carrier_detail, name="carrier_detail"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:number>/", views.verify, name="verify"),
    # 认定公告
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    # Open data at stable URLs, and the feed of notices and announcements
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/carriers.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/carriers.xlsx", views.open_data_xlsx, name="open_data_xlsx"),
    path("open-data/carriers.json", views.open_data_json, name="open_data_json"),
    # 统计数据: public statistics of the announced carriers
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("feed/atom.xml", NoticesFeed(), name="atom_feed"),
]
