from django.contrib import admin

from .models import CarrierType


@admin.register(CarrierType)
class CarrierTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "validity_years", "requires_expert_review", "reapply_ban_years", "active")
    list_filter = ("city", "active")
