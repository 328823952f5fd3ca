"""The review page: everything a reviewer needs about one application, and the actions of the viewer's role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from applications.completeness import current_attachments, eligibility_report
from carriers.rules import get_rules

from ..access import visible_application_or_404
from ..panels import panel_for


@login_required
def review_detail(request, pk):
    application = visible_application_or_404(request.user, pk)
    rules = get_rules(application.carrier_type.code)
    panel_template, panel_context = panel_for(request, application, rules)
    return render(request, "reviews/review_detail.html", {
        "application": application,
        "rules": rules,
        "report": eligibility_report(application, rules),
        "facts": rules.describe_facts(application.facts),
        "attachments": current_attachments(application).values(),
        "events": application.events.select_related("actor"),
        "panel_template": panel_template,
        **panel_context,
    })
