from django.contrib import admin

from .models import CalendarDay, CalendarYear, Notification


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "confirmed_at")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "title", "created_at", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "title", "body", "url", "created_at", "read_at", "emailed_at")
