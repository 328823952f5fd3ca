from django.contrib import admin

from .models import Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("title", "carrier_type", "year", "opens_on", "closes_on", "district_deadline")
    list_filter = ("carrier_type", "year")
