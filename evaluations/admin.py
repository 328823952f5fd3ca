from django.contrib import admin

from .models import EvaluationCampaign, SelfAssessment


@admin.register(EvaluationCampaign)
class EvaluationCampaignAdmin(admin.ModelAdmin):
    list_display = ("year", "carrier_type", "self_assessment_deadline", "review_deadline", "processed_at")
    list_filter = ("carrier_type", "year")
    raw_id_fields = ("created_by",)
    readonly_fields = ("processed_at",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    """Read-only: results change the carrier's status and go through evaluations.services."""

    list_display = ("carrier", "campaign", "submitted_at", "result", "grade", "stars", "reassessment_result")
    list_filter = ("result", "campaign__carrier_type")
    search_fields = ("carrier__name", "carrier__number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
