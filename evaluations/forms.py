"""Forms of the annual evaluation, and the one registry of what each carrier type reports and how it is graded.

``REGISTRY[type_code]`` gives the self-assessment form (its fields are the type's list of what to
report), the review scheme, whether the district adds an opinion and the ground of a missed evaluation.
A type missing here has no annual evaluation (the GZ hub).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import timezone

from carriers.eligibility import today_in_china
from carriers.models import CarrierType

from .models import EvaluationCampaign, FundingTier, Grade, Result

# --- the fields: plain Chinese messages, ranges checked on the server ---


def count_field(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10_000_000, help_text=help_text, error_messages={
        "required": f"请填写{label}。", "invalid": f"{label}应为整数。", "min_value": f"{label}不能为负数。",
        "max_value": f"{label}数值过大，请核对。",
    })


def ratio_field(label: str, help_text: str = "以小数填写，如 0.9 表示 90%。") -> forms.DecimalField:
    out_of_range = f"{label}应在 0 到 1 之间（以小数填写，如 0.9 表示 90%%）。"  # %% : validators interpolate
    return forms.DecimalField(label=label, min_value=0, max_value=1, max_digits=5, decimal_places=4,
                              help_text=help_text, error_messages={
                                  "required": f"请填写{label}。", "invalid": f"{label}应为数字。",
                                  "min_value": out_of_range, "max_value": out_of_range,
                                  "max_digits": out_of_range, "max_whole_digits": out_of_range,
                                  "max_decimal_places": f"{label}最多保留四位小数。",
                              })


def text_field(label: str, help_text: str = "", max_length: int = 4000) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 4}), error_messages={
                               "required": f"请填写{label}。",
                               "max_length": f"{label}不能超过 {max_length} 字。",
                           })


class SelfAssessmentForm(forms.Form):
    """Base of the per-type forms. ``draft=True`` (暂存) accepts blanks but still checks every filled value."""

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if draft:
            for field in self.fields.values():
                field.required = False

    def to_data(self) -> dict:
        """The cleaned values as JSON (ratios as decimal strings); blanks left out."""
        data = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            data[name] = str(value) if isinstance(value, Decimal) else value
        return data

    @classmethod
    def describe(cls, data: dict) -> list[tuple[str, str]]:
        """(label, value) pairs for display: ratios as percentages, blanks as 未填写."""
        rows = []
        for name, field in cls.base_fields.items():
            raw = (data or {}).get(name)
            if raw in (None, ""):
                shown = "未填写"
            elif isinstance(field, forms.DecimalField):
                shown = f"{(Decimal(str(raw)) * 100).normalize():f}%"
            else:
                shown = str(raw)
            rows.append((field.label, shown))
        return rows

    @classmethod
    def data_warnings(cls, data: dict) -> list[str]:
        """Facts the reviewer should weigh (not errors: the unit reports what it did)."""
        return []


class BjStationSelfAssessmentForm(SelfAssessmentForm):
    """北京市专精特新企业服务站 第十七条 (listings and tier upgrades of served firms), 第十条 (difficulties)."""

    firms_served = count_field("服务专精特新企业数（家）")
    exchange_listings = count_field("服务企业交易所上市数（家）", "第十七条：服务企业在证券交易所上市。")
    neeq_listings = count_field("服务企业全国股转系统挂牌数（家）",
                                "第十七条：服务企业在全国中小企业股份转让系统挂牌。")
    srdi_board_listings = count_field("服务企业北京“专精特新”专板入板数（家）",
                                      "第十七条：服务企业进入北京“专精特新”专板。")
    tier_upgrades = count_field("服务企业梯度升级数（家）",
                                "第十七条：优质企业梯度升级，如创新型中小企业升为专精特新中小企业、专精特新“小巨人”。")
    services_delivered = count_field("开展服务（次）")
    activities_held = count_field("举办活动（场）")
    difficulties_collected = count_field("收集企业困难和诉求（条）", "第十条：主动收集并向区中小企业主管部门反映。")
    difficulties_summary = text_field("企业困难和诉求及反映情况")
    summary = text_field("年度工作总结")


class BjPlatformSelfAssessmentForm(SelfAssessmentForm):
    """北京市中小企业公共服务示范平台、小型微型企业创业创新示范基地 第十三条 (绩效评价和星级评定)."""

    firms_served = count_field("年度服务中小企业数（家）")
    satisfaction_rate = ratio_field("服务满意度")
    sme_revenue_share = ratio_field("服务中小企业收入占总收入比例")
    activities_held = count_field("举办服务活动（场）")
    staff = count_field("专职服务人员（人）")
    summary = text_field("年度工作总结")


GZ_MIN_PROMOTION_SESSIONS = 3


class GzStationSelfAssessmentForm(SelfAssessmentForm):
    """广州市民营和中小企业服务站 三（三）3 (theme months, at least three promotion sessions a year), 四（一）4."""

    work_done = text_field("年度工作情况总结", "四（一）4：服务工作计划的完成情况。")
    firms_served = count_field("服务民营和中小企业数（家）")
    promotion_sessions = count_field("结合主题月活动宣讲（次）", "三（三）3：每年结合主题月活动宣讲不少于三次。")
    theme_month_activities = count_field("参加主题月服务活动（次）", "三（三）3：积极配合服务总站开展主题月服务活动。")
    next_year_plan = text_field("下一年度工作计划")

    @classmethod
    def data_warnings(cls, data: dict) -> list[str]:
        sessions = (data or {}).get("promotion_sessions")
        if sessions is not None and int(sessions) < GZ_MIN_PROMOTION_SESSIONS:
            return [f"全年宣讲 {sessions} 次，少于三（三）3 要求的每年不少于三次。"]
        return []


# --- the registry ---

GRADED = "graded"  # BJ platform/base 第十四条: 不合格 / 一般 / 较好 with stars and funding tiers
PASS_EXTENDS = "pass_extends"  # BJ station 第十七、十九条: pass extends a year, fail revokes
PASS_RECTIFY = "pass_rectify"  # GZ 四（三）6: fail → rectification, one re-assessment


@dataclass(frozen=True)
class EvaluationKind:
    form_class: type[SelfAssessmentForm]
    scheme: str
    missed_ground: str  # the revocation ground of not taking part by the deadline
    failed_ground: str  # the revocation ground of a failed review
    district_opinion: bool = False
    articles: str = ""


REGISTRY: dict[str, EvaluationKind] = {
    # 第二十条（一）: not taking part in the annual evaluation revokes.
    "bj_srdi_station": EvaluationKind(BjStationSelfAssessmentForm, PASS_EXTENDS, "missed_evaluation",
                                      "evaluation_failed", district_opinion=True, articles="第十七至二十条"),
    # 第十三条: not taking part counts as 不合格; 第十四条: 不合格 revokes.
    "bj_demo_platform": EvaluationKind(BjPlatformSelfAssessmentForm, GRADED, "missed_evaluation",
                                       "evaluation_failed", articles="第十三、十四条"),
    "bj_demo_base": EvaluationKind(BjPlatformSelfAssessmentForm, GRADED, "missed_evaluation",
                                   "evaluation_failed", articles="第十三、十四条"),
    # 四（三）6: 无故不参加年度考核, or 不合格 again after rectification, revokes.
    "gz_service_station": EvaluationKind(GzStationSelfAssessmentForm, PASS_RECTIFY, "assessment_failed",
                                         "assessment_failed", articles="三（三）3、四（一）4、四（三）6"),
}


def kind_of(type_code: str) -> EvaluationKind | None:
    return REGISTRY.get(type_code)


# --- the city's forms ---


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignDeadlinesForm(forms.ModelForm):
    """What every campaign form checks: a self-assessment deadline, and a review deadline not before it."""

    class Meta:
        model = EvaluationCampaign
        fields = ["self_assessment_deadline", "review_deadline", "notes"]
        widgets = {"self_assessment_deadline": DATE_WIDGET, "review_deadline": DATE_WIDGET,
                   "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_assessment_deadline"].error_messages.update({"required": "请填写自评截止日期。"})

    def clean(self):
        cleaned = super().clean()
        deadline, review = cleaned.get("self_assessment_deadline"), cleaned.get("review_deadline")
        if deadline and review and review < deadline:
            self.add_error("review_deadline", "复核截止日期不能早于自评截止日期。")
        return cleaned


class CampaignForm(CampaignDeadlinesForm):
    """A new campaign: one per type of the reviewer's city and year."""

    class Meta(CampaignDeadlinesForm.Meta):
        fields = ["carrier_type", "year", *CampaignDeadlinesForm.Meta.fields]

    def __init__(self, *args, city: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        types = CarrierType.objects.filter(code__in=REGISTRY, active=True)
        if city:
            types = types.filter(city=city)
        self.fields["carrier_type"].queryset = types
        self.fields["carrier_type"].empty_label = "请选择"
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].error_messages.update({"required": "请填写评价年度。"})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("评价年度应为四位年份。")
        return year

    def clean(self):
        cleaned = super().clean()
        carrier_type, year = cleaned.get("carrier_type"), cleaned.get("year")
        if carrier_type and year and EvaluationCampaign.objects.filter(
                carrier_type=carrier_type, year=year).exclude(pk=self.instance.pk).exists():
            self.add_error("year", "该载体类型在这一年度已有绩效评价批次。")
        return cleaned

    def validate_unique(self):
        """Checked in clean() with a Chinese message; the database constraint still holds."""


class CampaignDatesForm(CampaignDeadlinesForm):
    """A campaign's deadlines and requirements, changed before its self-assessment deadline is processed."""

    def clean_self_assessment_deadline(self):
        deadline = self.cleaned_data["self_assessment_deadline"]
        if deadline < today_in_china():
            raise forms.ValidationError("自评截止日期不能早于今天：逾期未自评的载体将按截止日期视同不合格。")
        return deadline


class DistrictOpinionForm(forms.Form):
    opinion = forms.CharField(label="区级跟踪意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="第十八条：对服务站的服务及目标完成情况进行跟踪。",
                              error_messages={"required": "请填写区级跟踪意见。",
                                              "max_length": "区级跟踪意见不能超过 2000 字。"})


RESULT_CHOICES = [(Result.PASSED.value, "合格"), (Result.FAILED.value, "不合格")]


class GradedReviewForm(forms.Form):
    """BJ platform/base 第十四条: 较好 funded by tier, 一般 kept without funds, 不合格 revoked."""

    grade = forms.ChoiceField(label="评价等次", choices=Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": "请选择评价等次。",
                                              "invalid_choice": "请选择有效的评价等次。"})
    stars = forms.TypedChoiceField(label="星级评定", coerce=int, required=False, empty_value=None,
                                   choices=[("", "—")] + [(str(n), f"{n}星") for n in range(1, 6)],
                                   error_messages={"invalid_choice": "星级应为 1 到 5 星。"})
    funding_tier = forms.ChoiceField(label="资金支持档次", required=False,
                                     choices=[("", "—"), *FundingTier.choices],
                                     help_text="仅评价等次为“较好”时填写。",
                                     error_messages={"invalid_choice": "请选择有效的资金支持档次。"})
    comment = forms.CharField(label="复核意见", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        grade = cleaned.get("grade")
        if grade in (Grade.FAIR, Grade.GOOD) and not cleaned.get("stars"):
            self.add_error("stars", "评价等次为“一般”或“较好”时请评定星级。")
        if grade == Grade.GOOD and not cleaned.get("funding_tier"):
            self.add_error("funding_tier", "评价等次为“较好”时请选择资金支持档次（第十四条）。")
        if grade in (Grade.FAIR, Grade.UNQUALIFIED) and cleaned.get("funding_tier"):
            self.add_error("funding_tier", "只有评价等次为“较好”的才给予资金支持（第十四条）。")
        if grade == Grade.UNQUALIFIED and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "评价不合格将撤销称号，请填写复核意见。")
        return cleaned


class PassFailReviewForm(forms.Form):
    result = forms.ChoiceField(label="评价结果", choices=RESULT_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "请选择评价结果。",
                                               "invalid_choice": "请选择有效的评价结果。"})
    comment = forms.CharField(label="复核意见", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == Result.FAILED and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "评价结果为不合格时请填写复核意见。")
        return cleaned


class RectifyReviewForm(PassFailReviewForm):
    """GZ 四（三）6: 不合格 puts the station into rectification until a date, then one re-assessment."""

    rectification_until = forms.DateField(label="整改期限", required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                          help_text="考核不合格时填写。",
                                          error_messages={"invalid": "请填写有效的日期。"})

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("rectification_until")
        if cleaned.get("result") == Result.FAILED:
            if until is None:
                self.add_error("rectification_until", "考核不合格的，请填写整改期限。")
            elif until <= self.today:
                self.add_error("rectification_until", "整改期限应晚于今天。")
        elif until is not None:
            self.add_error("rectification_until", "考核合格的无需整改，请清空整改期限。")
        return cleaned


class ReassessmentForm(PassFailReviewForm):
    """The one re-assessment after rectification (四（三）6)."""


REVIEW_FORMS = {GRADED: GradedReviewForm, PASS_EXTENDS: PassFailReviewForm, PASS_RECTIFY: RectifyReviewForm}
