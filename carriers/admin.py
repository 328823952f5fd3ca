from django.contrib import admin

from .models import CarrierType, ChangeRequest, ReportPeriod, ServiceReport


@admin.register(CarrierType)
class CarrierTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "validity_years", "requires_expert_review", "reapply_ban_years", "active")
    list_filter = ("city", "active")


@admin.register(ReportPeriod)
class ReportPeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "carrier_type", "opens_on", "due_on")
    list_filter = ("carrier_type", "kind")


@admin.register(ServiceReport)
class ServiceReportAdmin(admin.ModelAdmin):
    list_display = ("carrier", "kind", "period_label", "due_on", "submitted_at")
    list_filter = ("kind",)
    search_fields = ("carrier__name", "carrier__number")
    raw_id_fields = ("carrier", "period", "submitted_by", "updated_by")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ("carrier", "field", "changed_on", "filed_at", "is_late", "status")
    list_filter = ("status", "field", "is_late")
    search_fields = ("carrier__name", "carrier__number")
    raw_id_fields = ("carrier", "filed_by", "district_by", "decided_by")
