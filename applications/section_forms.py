"""Forms of the declaration's fixed sections (the type's facts form comes from its rules module)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import clean_phone
from applications.models import Application


class BasicInfoForm(forms.ModelForm):
    """基本信息: prefilled from the organisation; the contact is this application's."""

    class Meta:
        model = Application
        fields = ["legal_representative", "address", "contact_name", "contact_phone", "contact_email"]

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])


class CarrierInfoForm(forms.ModelForm):
    """载体名称与服务方案 (第四、十一、十二条 for BJ stations)."""

    class Meta:
        model = Application
        fields = ["carrier_name", "service_plan", "work_rules"]
        widgets = {
            "service_plan": forms.Textarea(attrs={"rows": 10}),
            "work_rules": forms.Textarea(attrs={"rows": 8}),
        }


class LiaisonForm(forms.ModelForm):
    """联络员 (BJ station 第十三条: a fixed liaison reports quarterly)."""

    class Meta:
        model = Application
        fields = ["liaison_name", "liaison_phone", "liaison_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def clean_liaison_phone(self):
        return clean_phone(self.cleaned_data["liaison_phone"])


class GeneralExplanationForm(forms.Form):
    """Written explanations for general (一般应 / 原则上) conditions not met, and the 承诺书."""

    declaration = forms.BooleanField(
        label=_("本单位承诺：所填报的申报材料真实、完整，如有虚假，愿承担相应责任（承诺书）。"),
        required=True,
        error_messages={"required": _("请勾选承诺书后再提交。")},
    )

    def __init__(self, *args, general_failures=(), initial_explanations=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_explanations = initial_explanations or {}
        self.explanation_keys = []
        for result in general_failures:
            name = f"explain_{result.rule}"
            self.explanation_keys.append((name, result.rule))
            self.fields[name] = forms.CharField(
                label=_("关于“%(msg)s”（%(article)s）的书面说明") % {"msg": result.message, "article": result.article},
                widget=forms.Textarea(attrs={"rows": 3}), min_length=10,
                initial=initial_explanations.get(result.rule, ""),
                error_messages={"required": _("该一般条件未达到，请填写书面说明（不少于10字）。")},
            )

    def explanations(self) -> dict:
        return {rule: self.cleaned_data[name] for name, rule in self.explanation_keys}
