"""统计分析: the city reviewer's and the district officer's dashboards (figures in reviews.dashboards)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import role_required
from carriers.eligibility import today_in_china

from .. import dashboards


@require_GET
@role_required(Role.CITY_REVIEWER)
def city_dashboard(request):
    figures = dashboards.city_dashboard(request.user, today_in_china())
    return render(request, "reviews/dashboards/city.html", {"d": figures})


@require_GET
@role_required(Role.DISTRICT_OFFICER)
def district_dashboard(request):
    figures = dashboards.district_dashboard(request.user, today_in_china())
    return render(request, "reviews/dashboards/district.html", {"d": figures})
