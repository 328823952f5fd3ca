"""Annual evaluation (绩效评价 / 年度考核): a campaign per type and year, the carriers' self-assessments,
the district's tracking opinion (BJ station 第十八条) and the city's review (复核).

The per-type fields of a self-assessment and the review scheme live in evaluations/forms.py (REGISTRY);
what a review does to the carrier lives in evaluations/services.py.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def _is_official(user, role) -> bool:
    return user.is_authenticated and not user.is_superuser and user.role == role


class EvaluationCampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officials see the campaigns of their city; applicants those of the types their unit holds."""
        from accounts.models import Role

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.APPLICANT:
            return self.filter(carrier_type__carriers__organisation_id=user.organisation_id).distinct()
        if user.role in (Role.DISTRICT_OFFICER, Role.CITY_REVIEWER):
            return self.filter(carrier_type__city=user.city)
        return self.none()


class EvaluationCampaign(models.Model):
    """One annual evaluation of a carrier type, set up by that type's city bureau."""

    carrier_type = models.ForeignKey("carriers.CarrierType", on_delete=models.PROTECT,
                                     related_name="evaluation_campaigns", verbose_name=_("载体类型"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    self_assessment_deadline = models.DateField(_("自评截止日期"), help_text=_("截止日当天（北京时间）仍可提交。"))
    review_deadline = models.DateField(_("复核截止日期"), null=True, blank=True)
    notes = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    processed_at = models.DateTimeField(_("逾期未自评处理时间"), null=True, blank=True,
                                        help_text=_("定时任务处理逾期未提交自评的载体后记录"))

    objects = EvaluationCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "carrier_type__sort_order"]
        verbose_name = _("绩效评价批次")
        verbose_name_plural = _("绩效评价批次")
        constraints = [models.UniqueConstraint(fields=["carrier_type", "year"], name="one_campaign_per_type_year")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.carrier_type.name}绩效评价"


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which self-assessments a user may see.

        A unit sees its own carriers' (drafts included); a district officer the submitted ones of its
        district; a city reviewer the submitted or decided ones of its city.
        """
        from accounts.models import Role

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.APPLICANT:
            return self.filter(carrier__organisation_id=user.organisation_id)
        if user.role == Role.DISTRICT_OFFICER:
            return self.filter(carrier__district_id=user.district_id, submitted_at__isnull=False)
        if user.role == Role.CITY_REVIEWER:
            return self.filter(carrier__carrier_type__city=user.city).exclude(submitted_at__isnull=True, result="")
        return self.none()


class Result(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    MISSED = "missed", _("未按期参加（视同不合格）")


class Grade(models.TextChoices):
    """BJ platform and base 第十四条."""

    UNQUALIFIED = "unqualified", _("不合格")
    FAIR = "fair", _("一般")
    GOOD = "good", _("较好")


class FundingTier(models.TextChoices):
    TIER1 = "tier1", _("一档")
    TIER2 = "tier2", _("二档")
    TIER3 = "tier3", _("三档")


class SelfAssessment(models.Model):
    """A carrier's 自评 in a campaign, then the district's opinion and the city's review."""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.PROTECT, related_name="self_assessments",
                                 verbose_name=_("评价批次"))
    carrier = models.ForeignKey("carriers.Carrier", on_delete=models.PROTECT, related_name="self_assessments",
                                verbose_name=_("服务载体"))
    data = models.JSONField(_("自评内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("提交人"))
    # 第十八条 (BJ station): the district tracks the station's service and targets.
    district_opinion = models.TextField(_("区级跟踪意见"), blank=True)
    district_opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("区级意见填写人"))
    district_opinion_at = models.DateTimeField(_("区级意见时间"), null=True, blank=True)
    # The city's review (复核).
    result = models.CharField(_("评价结果"), max_length=12, choices=Result.choices, blank=True, db_index=True)
    grade = models.CharField(_("评价等次"), max_length=12, choices=Grade.choices, blank=True)
    stars = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    funding_tier = models.CharField(_("资金支持档次"), max_length=8, choices=FundingTier.choices, blank=True)
    city_comment = models.TextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("复核人"), help_text=_("为空表示系统定时任务"))
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    # GZ 四（三）6: a failed station rectifies and is assessed once more.
    rectification_until = models.DateField(_("整改期限"), null=True, blank=True)
    reassessment_result = models.CharField(_("整改后考核结果"), max_length=12, blank=True,
                                           choices=[(Result.PASSED, _("合格")), (Result.FAILED, _("不合格"))])
    reassessment_comment = models.TextField(_("整改后考核意见"), blank=True)
    reassessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("整改考核人"))
    reassessed_at = models.DateTimeField(_("整改考核时间"), null=True, blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-campaign__year", "carrier__name", "pk"]
        verbose_name = _("绩效自评")
        verbose_name_plural = _("绩效自评")
        constraints = [models.UniqueConstraint(fields=["campaign", "carrier"], name="one_self_assessment_per_carrier")]

    def __str__(self):
        return f"{self.carrier} · {self.campaign}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def awaiting_reassessment(self) -> bool:
        return self.result == Result.FAILED and self.rectification_until is not None and not self.reassessment_result

    @property
    def status_label(self) -> str:
        if self.reassessment_result:
            return f"整改后考核{self.get_reassessment_result_display()}"
        if self.awaiting_reassessment:
            return "整改中"
        if self.result:
            label = self.get_result_display()
            if self.grade:
                label = f"{self.get_grade_display()}"
                if self.stars:
                    label += f"（{self.stars}星）"
            return label
        if self.submitted_at:
            return "已提交，待复核"
        return "草稿"
