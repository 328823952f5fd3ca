from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

admin.site.site_header = "中小企业服务载体认定管理平台 · 系统管理"
admin.site.site_title = "系统管理"

urlpatterns = [
    path("", include("public.urls")),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("display/", views.display_preferences, name="display_preferences"),
    path("notifications/", views.notifications, name="notifications"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("reviews.urls")),
    path("", include("evaluations.urls")),
    path("", include("carriers.urls")),
    path("admin/", admin.site.urls),
]
