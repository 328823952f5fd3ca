"""District recommendation lists and the Guangzhou expert review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Round


class RecommendationList(models.Model):
    """A district's recommendation list for a round (择优确定推荐名单), sent to the city as one act."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        SUBMITTED = "submitted", _("已报送")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="recommendation_lists",
                              verbose_name=_("申报批次"))
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="recommendation_lists",
                                 verbose_name=_("区"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    opinion = models.TextField(_("推荐意见"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("报送人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("区级推荐名单")
        verbose_name_plural = _("区级推荐名单")
        constraints = [models.UniqueConstraint(fields=["round", "district"], name="one_list_per_round_district")]

    def __str__(self):
        return f"{self.district.name} · {self.round.title}"


class RecommendationEntry(models.Model):
    """An application on a district's list, in the district's order (1 = first)."""

    recommendation_list = models.ForeignKey(RecommendationList, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="recommendation")
    rank = models.PositiveSmallIntegerField(_("排序"))
    note = models.CharField(_("推荐理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("推荐名单条目")
        verbose_name_plural = _("推荐名单条目")

    def __str__(self):
        return f"{self.rank}. {self.application.applicant_name}"


class ExpertAssignment(models.Model):
    """An expert assigned by the GZ hub to review one application (object permission via django-guardian)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="expert_assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments",
                               verbose_name=_("评审专家"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("分配人"))
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    scores = models.JSONField(_("评分"), default=dict, blank=True, help_text=_("各评审指标得分"))
    total = models.PositiveSmallIntegerField(_("总分"), null=True, blank=True)
    opinion = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("专家评审任务")
        verbose_name_plural = _("专家评审任务")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_assignment_per_expert")]

    def __str__(self):
        return f"{self.expert} · {self.application.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ExpertReviewSummary(models.Model):
    """The hub's compiled recommendation (推荐意见) once every assigned expert has scored."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="expert_summary")
    average_score = models.DecimalField(_("平均分"), max_digits=5, decimal_places=2)
    recommended = models.BooleanField(_("推荐认定"))
    opinion = models.TextField(_("推荐意见"))
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("汇总人"))
    compiled_at = models.DateTimeField(_("汇总时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家评审汇总")
        verbose_name_plural = _("专家评审汇总")

    def __str__(self):
        return f"{self.application.number}：{self.average_score}"
