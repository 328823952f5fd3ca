"""统计数据: the public statistics page (aggregates in public.statistics)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .statistics import public_statistics


@require_GET
def statistics(request):
    return render(request, "public/statistics.html", {"stats": public_statistics()})
