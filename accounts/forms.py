"""Registration of applicant units, their members, and login."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import District, Organisation, Role, User
from .uscc import normalise, validate_uscc

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


def clean_phone(value: str) -> str:
    value = value.strip()
    if not PHONE_RE.match(value):
        raise ValidationError(_("请输入有效的电话号码（7至20位数字，可含区号和“-”）。"))
    return value


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_city_display()} · {obj.name}"


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(label=_("登录密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_("至少10位，不能全为数字，不能与用户名或姓名过于相似。"))
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean_password2(self):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise ValidationError(_("两次输入的密码不一致。"))
        return p2

    def check_password_strength(self, user: User):
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


class UsernameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("用户名"), max_length=40, min_length=3,
                         help_text=_("3至40位，可用字母、数字及 @ . + - _"), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not re.fullmatch(r"[\w.@+-]+", value, flags=re.ASCII):
            raise ValidationError(_("用户名只能包含字母、数字及 @ . + - _。"))
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(_("该用户名已被使用，请换一个。"))
        return value


class RegistrationForm(PasswordPairMixin, forms.ModelForm):
    """An applicant unit registers itself and its first administrator."""

    district = DistrictChoiceField(queryset=District.objects.all(), label=_("注册所在区"),
                                   empty_label=_("请选择"))
    username = UsernameField()
    real_name = forms.CharField(label=_("管理员姓名"), max_length=40)
    phone = forms.CharField(label=_("管理员手机号码"), max_length=30)
    email = forms.EmailField(label=_("管理员邮箱"), help_text=_("用于找回密码和接收通知。"))

    class Meta:
        model = Organisation
        fields = ["name", "uscc", "district", "founded_on", "legal_representative", "address",
                  "contact_name", "contact_phone", "contact_email"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    field_order = ["name", "uscc", "district", "founded_on", "legal_representative", "address",
                   "contact_name", "contact_phone", "contact_email",
                   "username", "real_name", "phone", "email", "password1", "password2"]

    def clean_uscc(self):
        code = normalise(self.cleaned_data["uscc"])
        validate_uscc(code)
        if Organisation.objects.filter(uscc=code).exists():
            raise ValidationError(_("该统一社会信用代码已注册。如需账号，请联系本单位管理员添加。"))
        return code

    def clean_founded_on(self):
        founded = self.cleaned_data["founded_on"]
        if founded > timezone.localdate():
            raise ValidationError(_("成立日期不能晚于今天。"))
        return founded

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        self.check_password_strength(User(username=cleaned.get("username", ""),
                                          real_name=cleaned.get("real_name", ""), email=cleaned.get("email", "")))
        return cleaned

    def save(self, commit=True):
        organisation = super().save(commit=True)
        user = User(
            username=self.cleaned_data["username"], real_name=self.cleaned_data["real_name"],
            phone=self.cleaned_data["phone"], email=self.cleaned_data["email"],
            role=Role.APPLICANT, organisation=organisation, is_org_admin=True,
            city=organisation.district.city,
        )
        user.set_password(self.cleaned_data["password1"])
        user.save()
        return user


class MemberForm(PasswordPairMixin, forms.Form):
    """The organisation administrator adds a staff account (办事人)."""

    username = UsernameField()
    real_name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(label=_("手机号码"), max_length=30)
    email = forms.EmailField(label=_("邮箱"))
    is_org_admin = forms.BooleanField(label=_("设为单位管理员"), required=False)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        self.check_password_strength(User(username=cleaned.get("username", ""),
                                          real_name=cleaned.get("real_name", ""), email=cleaned.get("email", "")))
        return cleaned

    def save(self, organisation: Organisation) -> User:
        user = User(
            username=self.cleaned_data["username"], real_name=self.cleaned_data["real_name"],
            phone=self.cleaned_data["phone"], email=self.cleaned_data["email"],
            role=Role.APPLICANT, organisation=organisation, is_org_admin=self.cleaned_data["is_org_admin"],
            city=organisation.district.city,
        )
        user.set_password(self.cleaned_data["password1"])
        user.save()
        return user


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输入错误，账号将被临时锁定。"),
        "inactive": _("该账号已停用，请联系单位管理员或系统管理员。"),
    }
