"""What each role sees first after signing in: a bounded number of queries each."""

from django.core.paginator import Paginator
from django.db.models import Count

from applications.models import Round

from .models import District, Organisation, Role, User


def _open_rounds(city):
    return Round.objects.open_now().filter(carrier_type__city=city).select_related("carrier_type")


def applicant_context(request):
    user = request.user
    org = Organisation.objects.select_related("district").get(pk=user.organisation_id)
    return {
        "organisation": org,
        "member_count": User.objects.filter(organisation=org, is_active=True).count(),
        "open_rounds": _open_rounds(org.district.city),
    }


def district_officer_context(request):
    user = request.user
    orgs = Organisation.objects.visible_to(user).select_related("district").order_by("-created_at")
    page = Paginator(orgs, 20).get_page(request.GET.get("page"))
    return {"district": user.district, "organisations": page, "open_rounds": _open_rounds(user.city)}


def city_reviewer_context(request):
    from applications.models import Application, ApplicationState

    user = request.user
    districts = (
        District.objects.filter(city=user.city)
        .annotate(organisation_count=Count("organisation"))
        .order_by("sort_order")
    )
    by_state = dict(Application.objects.visible_to(user).order_by().values_list("state").annotate(n=Count("pk")))
    return {
        "districts": districts, "open_rounds": _open_rounds(user.city),
        "awaiting_decision": by_state.get(ApplicationState.CITY_REVIEW, 0),
        "in_expert_review": by_state.get(ApplicationState.EXPERT_REVIEW, 0),
        "shortlisted": by_state.get(ApplicationState.SHORTLISTED, 0),
    }


def hub_coordinator_context(request):
    from reviews.experts import hub_counts

    experts = User.objects.filter(role=Role.EXPERT, city=request.user.city, is_active=True).order_by("real_name")
    return {"experts": experts, "open_rounds": _open_rounds(request.user.city),
            "review_counts": hub_counts(request.user)}


def expert_context(request):
    from reviews.experts import pending_assignments

    pending = pending_assignments(request.user)
    return {"open_rounds": _open_rounds(request.user.city), "pending_assignments": pending[:10],
            "pending_count": pending.count()}


def admin_context(request):
    return {
        "role_counts": User.objects.values("role").annotate(n=Count("id")).order_by("role"),
        "organisation_count": Organisation.objects.count(),
    }


CONTEXTS = {
    Role.APPLICANT: ("accounts/landing/applicant.html", applicant_context),
    Role.DISTRICT_OFFICER: ("accounts/landing/district_officer.html", district_officer_context),
    Role.CITY_REVIEWER: ("accounts/landing/city_reviewer.html", city_reviewer_context),
    Role.HUB_COORDINATOR: ("accounts/landing/hub_coordinator.html", hub_coordinator_context),
    Role.EXPERT: ("accounts/landing/expert.html", expert_context),
    Role.ADMIN: ("accounts/landing/admin.html", admin_context),
}


def landing_for(request):
    """Template name and context for the signed-in user's role."""
    role = Role.ADMIN if request.user.is_superuser else request.user.role
    template, builder = CONTEXTS[role]
    return template, builder(request)
