"""Rounds (申报通知) and, later, the applications filed in them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from carriers.models import CarrierType
from portal.storage import private_storage, private_upload_path

from . import actors


class RoundQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def open_now(self):
        return self.open_on(timezone.localdate())


class Round(models.Model):
    """A call for applications for one carrier type and year (申报通知)."""

    carrier_type = models.ForeignKey(CarrierType, on_delete=models.PROTECT, related_name="rounds",
                                     verbose_name=_("载体类型"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("通知标题"), max_length=160)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"), help_text=_("当日24时（北京时间）截止"))
    district_deadline = models.DateField(_("区级推荐截止日期"))
    notice_text = models.TextField(_("通知正文"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Set by the open_close_rounds sweep (applications.sweeps) once the notice went out: never twice.
    opened_notified_at = models.DateTimeField(_("开始申报提醒时间"), null=True, blank=True, editable=False)
    closed_notified_at = models.DateTimeField(_("申报截止提醒时间"), null=True, blank=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "carrier_type__sort_order", "-opens_on"]
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        constraints = [
            models.UniqueConstraint(fields=["carrier_type", "year"], name="round_unique_type_year"),
            models.CheckConstraint(name="round_dates_ordered",
                                   condition=models.Q(opens_on__lte=models.F("closes_on"))
                                   & models.Q(closes_on__lte=models.F("district_deadline"))),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            raise ValidationError({"closes_on": _("申报截止日期不能早于开始日期。")})
        if self.closes_on and self.district_deadline and self.closes_on > self.district_deadline:
            raise ValidationError({"district_deadline": _("区级推荐截止日期不能早于申报截止日期。")})

    def is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    @property
    def status_label(self) -> str:
        today = timezone.localdate()
        if today < self.opens_on:
            return "未开始"
        if today <= self.closes_on:
            return "申报中"
        return "已截止"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DISTRICT_REVIEW = "district_review", _("区级初审")
    CITY_REVIEW = "city_review", _("市级评审")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    SHORTLISTED = "shortlisted", _("拟认定")
    IN_NOTICE = "in_notice", _("公示中")
    APPROVED = "approved", _("已通过")
    ANNOUNCED = "announced", _("已公告")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


DEAD_STATES = (ApplicationState.REJECTED, ApplicationState.WITHDRAWN)
WITHDRAWABLE_STATES = (ApplicationState.DRAFT, ApplicationState.DISTRICT_REVIEW, ApplicationState.CITY_REVIEW,
                       ApplicationState.EXPERT_REVIEW, ApplicationState.SHORTLISTED)


class ApplicationQuerySet(models.QuerySet):
    def live(self):
        """Applications that still count: not rejected, not withdrawn."""
        return self.exclude(state__in=DEAD_STATES)

    def visible_to(self, user):
        """The one place that decides which applications a user may see."""
        from accounts.models import Role

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.APPLICANT:
            return self.filter(organisation_id=user.organisation_id)
        submitted = self.filter(submitted_at__isnull=False)
        if user.role == Role.DISTRICT_OFFICER:
            return submitted.filter(district_id=user.district_id)
        recommended = self.filter(recommended_at__isnull=False, carrier_type__city=user.city)
        if user.role == Role.CITY_REVIEWER:
            return recommended
        if user.role == Role.HUB_COORDINATOR:
            return recommended.filter(carrier_type__requires_expert_review=True)
        if user.role == Role.EXPERT:
            from guardian.shortcuts import get_objects_for_user

            assigned = get_objects_for_user(user, "applications.score_application", klass=Application,
                                            accept_global_perms=False, with_superuser=False)
            return self.filter(pk__in=assigned.values("pk"))
        return self.none()


class Application(models.Model):
    """A declaration (申报) by an organisation for a carrier type in a round.

    Statutory fields are columns; the type-specific facts are a document
    validated by the type's rules module (carriers/rules/<code>.py).
    """

    number = models.CharField(_("申报编号"), max_length=24, unique=True, null=True, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("申报单位"))
    carrier_type = models.ForeignKey(CarrierType, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("载体类型"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("申报批次"))
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="applications",
                                 verbose_name=_("所属区"))
    state = FSMField(_("状态"), max_length=20, choices=ApplicationState.choices,
                     default=ApplicationState.DRAFT, db_index=True)

    # 基本信息: prefilled from the organisation, kept as filed.
    applicant_name = models.CharField(_("申报单位名称"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    legal_representative = models.CharField(_("法定代表人"), max_length=40)
    address = models.CharField(_("注册地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"))

    carrier_name = models.CharField(_("载体名称"), max_length=120, blank=True)
    renews_carrier = models.ForeignKey(
        "carriers.Carrier", null=True, blank=True, on_delete=models.PROTECT, related_name="re_reviews",
        verbose_name=_("复核的服务站"),
        help_text=_("广州市服务站三年期满复核（四（二））：随当年申报一并进行，通过则有效期延续三年"))
    facts = models.JSONField(_("申报条件数据"), default=dict, blank=True)
    service_plan = models.TextField(_("服务方案"), blank=True)
    work_rules = models.TextField(_("工作制度"), blank=True)
    liaison_name = models.CharField(_("联络员姓名"), max_length=40, blank=True)
    liaison_phone = models.CharField(_("联络员电话"), max_length=30, blank=True)
    liaison_email = models.EmailField(_("联络员邮箱"), blank=True)
    explanations = models.JSONField(_("一般条件说明"), default=dict, blank=True)
    declaration_signed = models.BooleanField(_("已签署承诺书"), default=False)
    declaration_signed_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)

    # Raw input of sections that did not validate yet, so nothing typed is lost.
    drafts = models.JSONField(_("暂存内容"), default=dict, blank=True)
    saved_sections = models.JSONField(_("已保存的部分"), default=dict, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    recommended_at = models.DateTimeField(_("区级推荐时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    expert_review_done = models.BooleanField(_("专家评审已完成"), default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        permissions = [("score_application", _("可作为评审专家评审该申报"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "carrier_type", "round"],
                condition=~models.Q(state__in=["rejected", "withdrawn"]),
                name="one_live_application_per_org_type_round",
            ),
        ]

    def __str__(self):
        return f"{self.applicant_name} · {self.carrier_type.name}"

    # --- Transitions: the state machine of domain.md, declared here and only
    # here. Fired through applications.workflow.transition(), which locks the
    # row, checks, records the event and notifies, in one transaction. ---

    @transition(field=state, source=ApplicationState.DRAFT, target=ApplicationState.DISTRICT_REVIEW,
                permission=actors.own_applicant, conditions=[lambda app: app.round.is_open()])
    def submit(self):
        """提交: the applicant files the declaration with its district."""
        self.submitted_at = timezone.now()

    @transition(field=state, source=ApplicationState.DISTRICT_REVIEW, target=ApplicationState.DRAFT,
                permission=actors.district_officer)
    def return_for_revision(self):
        """退回修改: the district sends it back with reasons; the applicant edits and resubmits."""
        self.declaration_signed = False

    @transition(field=state, source=ApplicationState.DISTRICT_REVIEW, target=ApplicationState.REJECTED,
                permission=actors.district_officer)
    @transition(field=state, source=ApplicationState.CITY_REVIEW, target=ApplicationState.REJECTED,
                permission=actors.city_reviewer)
    def reject(self):
        """不予推荐 / 不予认定: rejected with reasons by the district or the city."""

    @transition(field=state, source=ApplicationState.DISTRICT_REVIEW, target=ApplicationState.CITY_REVIEW,
                permission=actors.district_officer,
                conditions=[lambda app: timezone.localdate() <= app.round.district_deadline])
    def recommend(self):
        """推荐: part of the district's recommendation list, sent to the city before the district deadline."""
        self.recommended_at = timezone.now()

    @transition(field=state, source=ApplicationState.CITY_REVIEW, target=ApplicationState.EXPERT_REVIEW,
                permission=actors.hub_coordinator,
                conditions=[lambda app: app.carrier_type.requires_expert_review and not app.expert_review_done])
    def send_to_experts(self):
        """组织专家评审 (GZ): the hub assigns experts."""

    @transition(field=state, source=ApplicationState.EXPERT_REVIEW, target=ApplicationState.CITY_REVIEW,
                permission=actors.hub_coordinator)
    def complete_expert_review(self):
        """汇总评审意见 (GZ): every assigned expert has scored; the hub compiles its recommendation."""
        self.expert_review_done = True

    @transition(field=state, source=ApplicationState.CITY_REVIEW, target=ApplicationState.SHORTLISTED,
                permission=actors.city_reviewer,
                conditions=[lambda app: app.expert_review_done or not app.carrier_type.requires_expert_review])
    def shortlist(self):
        """拟认定: the city shortlists it for the public notice."""

    @transition(field=state, source=ApplicationState.SHORTLISTED, target=ApplicationState.IN_NOTICE,
                permission=actors.city_reviewer)
    def publish_notice(self):
        """公示: listed in a published public notice."""

    @transition(field=state, source=ApplicationState.IN_NOTICE, target=ApplicationState.APPROVED,
                permission=lambda app, user: user is None)
    def close_notice(self):
        """公示期满无异议 (system): approved when the notice period ends without an open objection."""

    @transition(field=state, source=ApplicationState.IN_NOTICE, target=ApplicationState.REJECTED,
                permission=actors.city_reviewer)
    def uphold_objection(self):
        """异议成立: an upheld objection rejects the entry."""

    @transition(field=state, source=ApplicationState.APPROVED, target=ApplicationState.ANNOUNCED,
                permission=actors.city_reviewer)
    def announce(self):
        """公告: published in the announcement; the carrier is created."""

    @transition(field=state, source=list(WITHDRAWABLE_STATES), target=ApplicationState.WITHDRAWN,
                permission=actors.own_applicant)
    def withdraw(self):
        """撤回: the applicant withdraws, any time before the public notice."""

    @property
    def is_editable(self) -> bool:
        return self.state == ApplicationState.DRAFT

    @property
    def is_withdrawable(self) -> bool:
        return self.state in WITHDRAWABLE_STATES

    @property
    def was_returned(self) -> bool:
        return self.state == ApplicationState.DRAFT and self.submitted_at is not None


class ApplicationEvent(models.Model):
    """Append-only record of every transition: actor, time, from, to, comment."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ApplicationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"), help_text=_("为空表示系统定时任务"))
    actor_role = models.CharField(_("操作人角色"), max_length=20)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("申报流转记录")
        verbose_name_plural = _("申报流转记录")

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Attachment(models.Model):
    """A file attached to an application; a replaced file stays, marked superseded."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    slot = models.CharField(_("附件类别"), max_length=40)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=private_upload_path("applications"),
                            max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    kind = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)

    class Meta:
        ordering = ["slot", "-uploaded_at"]
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        constraints = [
            models.UniqueConstraint(fields=["application", "slot"], condition=models.Q(superseded_at__isnull=True),
                                    name="one_current_attachment_per_slot"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class RoundAttachment(models.Model):
    """A public attachment of a round's notice (申报指南、申报书模板)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=120)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=private_upload_path("rounds"),
                            max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    kind = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")

    def __str__(self):
        return self.title
