"""广州市民营和中小企业服务总站: designation by commission, for Guangzhou city reviewers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from accounts.models import Role
from accounts.permissions import role_required
from carriers import hub as service


@role_required(Role.CITY_REVIEWER)
def hub_designation(request):
    if not service.may_designate(request.user):
        raise PermissionDenied("服务总站由广州市工业和信息化局委托，仅广州市审核人员可以办理。")
    form = service.HubDesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            carrier = service.designate(
                request.user, organisation=form.organisation, commission_document=data["commission_document"],
                valid_from=data["valid_from"], valid_until=data["valid_until"], name=data["name"],
                end_current=data["end_current"])
        except service.HubRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"已委托{carrier.organisation.name}承担服务总站工作，编号 {carrier.number}。")
            return redirect("reviews:hub_designation")
    history = (service.Carrier.objects.filter(carrier_type__code=service.HUB_CODE)
               .select_related("organisation").order_by("-valid_from", "-pk")[:20])
    return render(request, "reviews/announcements/hub.html", {
        "form": form, "current": service.current_hub(), "history": history,
    }, status=400 if request.method == "POST" else 200)
