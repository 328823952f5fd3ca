"""Public self-check pages (申报条件自测, no login, no JavaScript needed) and the certificate download."""

from django.http import Http404
from django.shortcuts import render

from accounts.models import Role
from portal.uploads import private_file_response

from . import certificates
from .eligibility import evaluate, public_type_rules, today_in_china
from .forms import AsOfForm, facts_form_class
from .models import Carrier, CarrierType
from .rules import UnknownCarrierType


def eligibility_index(request):
    types = CarrierType.objects.open_to_applications()
    return render(request, "carriers/eligibility_index.html", {"carrier_types": types})


def eligibility_check(request, type_code: str):
    try:
        carrier_type, rules = public_type_rules(type_code)
    except UnknownCarrierType:
        raise Http404("没有可公开申报的该类载体。") from None
    form_class = facts_form_class(rules)
    report = None
    if request.method == "POST":
        form, as_of_form = form_class(request.POST), AsOfForm(request.POST)
        if form.is_valid() and as_of_form.is_valid():
            as_of = as_of_form.cleaned_data["as_of"] or today_in_china()
            report = evaluate(rules, form.facts(), as_of)
    else:
        form, as_of_form = form_class(), AsOfForm()
    return render(request, "carriers/eligibility_check.html", {
        "carrier_type": carrier_type, "rules": rules, "form": form, "as_of_form": as_of_form, "report": report,
    }, status=400 if form.is_bound and report is None else 200)


def _may_download(user, carrier) -> bool:
    """The carrier's own organisation's users and the city reviewers of its city; nobody else."""
    if not user.is_authenticated or user.is_superuser:
        return False
    if user.role == Role.APPLICANT:
        return user.organisation_id == carrier.organisation_id
    return user.role == Role.CITY_REVIEWER and user.city == carrier.carrier_type.city


def certificate_download(request, pk: int):
    """证书（牌匾）PDF: generated now if Celery has not done it yet. Anyone else gets 404."""
    carrier = Carrier.objects.select_related("carrier_type").filter(pk=pk).first()
    if carrier is None or not _may_download(request.user, carrier):
        raise Http404("未找到该证书。")
    if not carrier.document:
        certificates.generate(carrier.pk)
        carrier.refresh_from_db(fields=["document", "document_generated_at"])
    kind = carrier.carrier_type.get_document_kind_display()
    return private_file_response(carrier.document, f"{carrier.name}{kind}_{carrier.number}.pdf", inline=True)
