"""Registration, sign-in, the role landing page and the organisation's members."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from .forms import LoginForm, MemberForm, RegistrationForm
from .landing import landing_for
from .models import Organisation, Role, User
from .permissions import role_required


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:landing")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(request, "注册请求过于频繁，请稍后再试。")
        elif form.is_valid():
            with transaction.atomic():
                user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"单位“{user.organisation.name}”注册成功，您是本单位的管理员。")
            return redirect("accounts:landing")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def landing(request):
    template, context = landing_for(request)
    return render(request, template, context)


@role_required(Role.APPLICANT)
def organisation_detail(request):
    org = get_object_or_404(Organisation.objects.select_related("district"), pk=request.user.organisation_id)
    members = User.objects.filter(organisation=org).order_by("-is_org_admin", "real_name")
    form = MemberForm() if request.user.is_org_admin else None
    return render(request, "accounts/organisation.html", {"organisation": org, "members": members, "form": form})


@role_required(Role.APPLICANT, org_admin=True)
@require_POST
def member_add(request):
    org = get_object_or_404(Organisation, pk=request.user.organisation_id)
    form = MemberForm(request.POST)
    if form.is_valid():
        member = form.save(org)
        messages.success(request, f"已为 {member.real_name} 开通账号。")
        return redirect("accounts:organisation")
    members = User.objects.filter(organisation=org).order_by("-is_org_admin", "real_name")
    return render(request, "accounts/organisation.html",
                  {"organisation": org, "members": members, "form": form}, status=400)


@role_required(Role.APPLICANT, org_admin=True)
@require_POST
def member_toggle_active(request, pk):
    member = get_object_or_404(User, pk=pk, organisation_id=request.user.organisation_id)
    if member.pk == request.user.pk:
        messages.error(request, "不能停用自己的账号。")
    else:
        member.is_active = not member.is_active
        member.save(update_fields=["is_active"])
        state = "启用" if member.is_active else "停用"
        messages.success(request, f"已{state} {member.real_name} 的账号。")
    return redirect("accounts:organisation")
