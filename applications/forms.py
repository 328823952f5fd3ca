"""Forms of the rounds (申报通知) managed by the city bureau."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carriers.models import CarrierType

from .models import Round


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["carrier_type", "year", "title", "document_number", "opens_on", "closes_on", "district_deadline",
                  "notice_text"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "district_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notice_text": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        types = CarrierType.objects.open_to_applications()
        self.fields["carrier_type"].queryset = types.filter(city=city) if city else types
        self.fields["carrier_type"].empty_label = _("请选择")
        self.fields["year"].min_value = 2020
        self.fields["year"].widget.attrs.update({"min": 2020, "max": 2100})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2020 <= year <= 2100:
            raise forms.ValidationError(_("请输入2020至2100之间的年度。"))
        return year

    def clean(self):
        cleaned = super().clean()
        carrier_type, year = cleaned.get("carrier_type"), cleaned.get("year")
        if carrier_type and year:
            clash = Round.objects.filter(carrier_type=carrier_type, year=year).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("year", _("该载体类型在这一年度已有申报批次，请直接编辑原批次。"))
        return cleaned

    def validate_unique(self):
        """Uniqueness is checked in clean() with a plain message; dates in Round.clean()."""


class RoundAttachmentForm(forms.Form):
    title = forms.CharField(label=_("附件名称"), max_length=120)
    file = forms.FileField(label=_("文件（PDF、JPG、PNG，不超过20MB）"))
