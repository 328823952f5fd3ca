"""Public self-check pages (申报条件自测): no login, no JavaScript needed."""

from django.http import Http404
from django.shortcuts import render

from .eligibility import evaluate, public_type_rules, today_in_china
from .forms import AsOfForm, facts_form_class
from .models import CarrierType
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
