"""Administrators create officials here: district officers, city reviewers, hub coordinators, experts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import District, Organisation, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "sort_order")
    list_filter = ("city",)
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "district", "founded_on", "created_at")
    list_filter = ("district__city", "district")
    search_fields = ("name", "uscc")
    list_select_related = ("district",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "real_name", "role", "city", "district", "organisation", "is_active")
    list_filter = ("role", "city", "is_active")
    search_fields = ("username", "real_name", "email")
    list_select_related = ("district", "organisation")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("角色与归属"), {"fields": ("role", "real_name", "phone", "organisation", "is_org_admin",
                                    "district", "city")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与归属"), {"fields": ("role", "real_name", "email", "phone", "organisation", "is_org_admin",
                                    "district", "city")}),
    )
