"""District recommendation lists and the Guangzhou expert review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Round
from portal.storage import private_storage, private_upload_path


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


class PublicNotice(models.Model):
    """公示: the city's public notice of a round's shortlisted entries, open to objections."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notices", verbose_name=_("申报批次"))
    title = models.CharField(_("公示标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60)
    body = models.TextField(_("公示正文"))
    objection_contact = models.TextField(_("异议受理方式"),
                                         help_text=_("受理部门、地址、电话；不得填写个人手机号或身份证号"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"), help_text=_("按工作日计算，含调休"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布人"))
    closed_at = models.DateTimeField(_("公示期结束处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [models.UniqueConstraint(fields=["document_number"], name="notice_unique_document_number")]

    def __str__(self):
        return self.title


class NoticeEntry(models.Model):
    """One listed entry of a notice, as published (序号, 区, 单位名称, 载体名称, 类型)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="notice_entry")
    seq = models.PositiveSmallIntegerField(_("序号"))
    district_name = models.CharField(_("所属区"), max_length=40)
    unit_name = models.CharField(_("单位名称"), max_length=120)
    carrier_name = models.CharField(_("载体名称"), max_length=120)
    type_name = models.CharField(_("类型"), max_length=80)

    class Meta:
        ordering = ["notice", "seq"]
        verbose_name = _("公示条目")
        verbose_name_plural = _("公示条目")

    def __str__(self):
        return f"{self.seq}. {self.unit_name}"


class Objection(models.Model):
    """异议: filed by a unit (with a stamped letter) or a named individual inside the notice period."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("单位")
        INDIVIDUAL = "individual", _("个人")

    class Status(models.TextChoices):
        OPEN = "open", _("调查核实中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, related_name="objections",
                              verbose_name=_("异议对象"))
    kind = models.CharField(_("提出方"), max_length=12, choices=Kind.choices)
    objector_name = models.CharField(_("单位名称或实名"), max_length=120)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"))
    facts = models.TextField(_("异议事实和理由"))
    letter = models.FileField(_("加盖公章的书面材料"), storage=private_storage,
                              upload_to=private_upload_path("objections"), max_length=200, blank=True)
    letter_name = models.CharField(_("材料文件名"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    status = models.CharField(_("处理状态"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    decision_reason = models.TextField(_("调查核实结论"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    objector_notified_at = models.DateTimeField(_("告知异议人时间"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        constraints = [
            models.CheckConstraint(name="unit_objection_has_letter",
                                   condition=~models.Q(kind="unit") | ~models.Q(letter="")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}异议：{self.entry.unit_name}"


class Announcement(models.Model):
    """公告: the final list of a round, with its document number and date."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="announcements",
                              verbose_name=_("申报批次"))
    title = models.CharField(_("公告标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, unique=True)
    published_on = models.DateField(_("公告日期"))
    body = models.TextField(_("公告正文"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布人"))

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("公告")
        verbose_name_plural = _("公告")

    def __str__(self):
        return self.title


class AnnouncementEntry(models.Model):
    """An announced application and the carrier it became."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="announcement_entry")
    carrier = models.ForeignKey("carriers.Carrier", on_delete=models.PROTECT, related_name="announcement_entries",
                                help_text=_("复核通过时为原服务站"))
    seq = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        ordering = ["announcement", "seq"]
        verbose_name = _("公告条目")
        verbose_name_plural = _("公告条目")

    def __str__(self):
        return f"{self.seq}. {self.carrier}"
