"""Carrier types as data; the rules of each live in carriers/rules/<code>.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import City, scoped_by_role
from portal.storage import private_storage, private_upload_path


class CarrierTypeQuerySet(models.QuerySet):
    def open_to_applications(self):
        return self.filter(active=True, publicly_applicable=True)


class CarrierType(models.Model):
    """A kind of carrier title (载体类型) with its validity, review steps and ban."""

    class Document(models.TextChoices):
        CERTIFICATE = "certificate", _("证书")
        PLAQUE = "plaque", _("牌匾")

    code = models.SlugField(_("类型代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    short_name = models.CharField(_("简称"), max_length=20)
    city = models.CharField(_("城市"), max_length=16, choices=City.choices)
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), null=True, blank=True, help_text=_("留空表示长期有效，以年度评价结果为准。")
    )
    requires_district_review = models.BooleanField(_("区级初审推荐"), default=True)
    requires_expert_review = models.BooleanField(_("专家评审"), default=False)
    reapply_ban_years = models.PositiveSmallIntegerField(
        _("撤销后限制申报（年）"), null=True, blank=True
    )
    min_service_functions = models.PositiveSmallIntegerField(_("最少服务功能数"), default=0)
    publicly_applicable = models.BooleanField(_("可公开申报"), default=True)
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    document_kind = models.CharField(
        _("认定文书"), max_length=16, choices=Document.choices, default=Document.CERTIFICATE
    )
    policy_title = models.CharField(_("政策依据"), max_length=120)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CarrierTypeQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("载体类型")
        verbose_name_plural = _("载体类型")

    def __str__(self):
        return self.name

    @property
    def issuing_bureau(self) -> str:
        from accounts.models import CITY_BUREAUS

        return CITY_BUREAUS[City(self.city)]


class CarrierQuerySet(models.QuerySet):
    def holding_title(self):
        """Carriers whose title is in force (active, or rectifying under GZ 考核)."""
        return self.filter(status__in=[Carrier.Status.ACTIVE, Carrier.Status.RECTIFYING])

    def banning_on(self, day):
        """Revoked carriers whose re-apply ban still runs on ``day``."""
        return self.filter(status=Carrier.Status.REVOKED, ban_until__gte=day)

    def visible_to(self, user):
        """Carriers a user may see: its unit's, its district's, its city's (the one place for this rule)."""
        return scoped_by_role(self, user, unit="organisation_id", district="district_id", city="carrier_type__city")


class Carrier(models.Model):
    """A title holder (载体): created by the announcement of an approved application."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        RECTIFYING = "rectifying", _("整改中")
        REVOKED = "revoked", _("已撤销")
        EXPIRED = "expired", _("已到期")
        WITHDRAWN = "withdrawn", _("已退出")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="carriers",
                                     verbose_name=_("运营单位"))
    carrier_type = models.ForeignKey(CarrierType, on_delete=models.PROTECT, related_name="carriers",
                                     verbose_name=_("载体类型"))
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="carriers",
                                 verbose_name=_("所属区"))
    name = models.CharField(_("载体名称"), max_length=120)
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空表示以年度评价为准"))
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_ground = models.CharField(_("撤销依据"), max_length=200, blank=True)
    ban_until = models.DateField(_("限制申报至"), null=True, blank=True)
    document = models.FileField(_("证书（牌匾）文件"), storage=private_storage,
                                upload_to=private_upload_path("certificates"), max_length=200, blank=True)
    document_generated_at = models.DateTimeField(_("证书生成时间"), null=True, blank=True)
    commission_document = models.CharField(_("委托文件文号"), max_length=80, blank=True,
                                           help_text=_("服务总站：市工业和信息化局的委托文件"))
    # 重大变更 (BJ station 第二十一条, platform/base 第十七条, GZ 四（四）): kept current by approved changes.
    address = models.CharField(_("地址"), max_length=200, blank=True)
    main_business = models.CharField(_("主营业务"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        ordering = ["carrier_type__sort_order", "name"]
        verbose_name = _("服务载体")
        verbose_name_plural = _("服务载体")
        indexes = [models.Index(fields=["organisation", "carrier_type", "status"])]

    def __str__(self):
        return self.name


class CarrierEvent(models.Model):
    """Append-only history of a carrier: status changes, extensions, approved changes (old values kept)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("事项"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Carrier.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Carrier.Status.choices)
    ground = models.CharField(_("依据"), max_length=200, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    old_values = models.JSONField(_("变更前"), default=dict, blank=True)
    new_values = models.JSONField(_("变更后"), default=dict, blank=True)
    decided_on = models.DateField(_("决定日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"), help_text=_("为空表示系统定时任务"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("载体记录")
        verbose_name_plural = _("载体记录")

    def __str__(self):
        return f"{self.carrier} {self.action}"


# --- Reporting duties (报送) and major changes (重大变更): carriers/reports.py, carriers/changes.py ---


class ReportKind(models.TextChoices):
    BJ_STATION_QUARTERLY = "bj_station_quarterly", _("季度服务开展情况报告")
    BJ_OPERATING_DATA = "bj_operating_data", _("运营数据报送")
    GZ_WORK_PLAN = "gz_work_plan", _("年度服务工作计划")
    GZ_ANNUAL_SUMMARY = "gz_annual_summary", _("年度工作情况总结")


class ReportPeriod(models.Model):
    """One reporting period of one carrier type (a generated due table; see carriers/reports.py).

    A carrier owes a report for a period when the period touches its title and the
    deadline falls on or after its valid_from; the overdue list is a join of carriers
    with these rows in the database, minus the submitted ServiceReports.
    """

    carrier_type = models.ForeignKey(CarrierType, on_delete=models.PROTECT, related_name="report_periods",
                                     verbose_name=_("载体类型"))
    kind = models.CharField(_("报送事项"), max_length=30, choices=ReportKind.choices)
    label = models.CharField(_("报送期间"), max_length=30)
    starts_on = models.DateField(_("期间起"))
    ends_on = models.DateField(_("期间止"))
    opens_on = models.DateField(_("开始报送"))
    due_on = models.DateField(_("报送截止"), db_index=True)

    class Meta:
        ordering = ["due_on", "carrier_type_id", "kind"]
        verbose_name = _("报送期间")
        verbose_name_plural = _("报送期间")
        constraints = [models.UniqueConstraint(fields=["carrier_type", "kind", "starts_on"],
                                               name="report_period_unique")]

    def __str__(self):
        return f"{self.label}{self.get_kind_display()}"


class ServiceReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(carrier__in=Carrier.objects.visible_to(user))


class ServiceReport(models.Model):
    """A report a carrier files for one period: a draft until submitted, read-only afterwards."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="reports", verbose_name=_("服务载体"))
    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("报送期间"))
    kind = models.CharField(_("报送事项"), max_length=30, choices=ReportKind.choices)
    period_label = models.CharField(_("报送期间"), max_length=30)
    due_on = models.DateField(_("报送截止"))
    data = models.JSONField(_("报送内容"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("提交人"))
    updated_at = models.DateTimeField(_("最后保存"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("保存人"))

    objects = ServiceReportQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "carrier_id"]
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        constraints = [models.UniqueConstraint(fields=["carrier", "period"], name="service_report_once_per_period")]

    def __str__(self):
        return f"{self.carrier} {self.period_label}{self.get_kind_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(carrier__in=Carrier.objects.visible_to(user))


class ChangeRequest(models.Model):
    """重大变更事项报告: BJ station 第二十一条 (district, then city); platform/base 第十七条 and GZ 四（四） (city)."""

    class Field(models.TextChoices):
        NAME = "name", _("名称")
        ADDRESS = "address", _("地址")
        MAIN_BUSINESS = "main_business", _("主营业务")
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")

    class Status(models.TextChoices):
        DISTRICT_REVIEW = "district_review", _("区级核实中")
        CITY_REVIEW = "city_review", _("市级审核中")
        APPROVED = "approved", _("已同意变更")
        REVOKED = "revoked", _("已撤销称号")
        REJECTED = "rejected", _("不予变更")

    OPEN = (Status.DISTRICT_REVIEW, Status.CITY_REVIEW)

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="change_requests",
                                verbose_name=_("服务载体"))
    field = models.CharField(_("变更事项"), max_length=30, choices=Field.choices)
    old_value = models.CharField(_("变更前"), max_length=200, blank=True)
    new_value = models.CharField(_("变更后"), max_length=200)
    changed_on = models.DateField(_("变更日期"))
    evidence = models.FileField(_("证明材料"), storage=private_storage, upload_to=private_upload_path("changes"),
                                max_length=200)
    evidence_name = models.CharField(_("证明材料文件名"), max_length=120)
    filed_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("报告人"))
    deadline = models.DateField(_("报告期限"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报告"), null=True, blank=True,
                                  help_text=_("为空表示报告时缺少工作日历，未能判定"))
    district_opinion = models.TextField(_("区级核实意见"), blank=True)
    district_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("区级经办人"))
    district_at = models.DateTimeField(_("区级核实时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("市级审核人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("重大变更报告")
        verbose_name_plural = _("重大变更报告")
        constraints = [models.UniqueConstraint(
            fields=["carrier", "field"], condition=models.Q(status__in=["district_review", "city_review"]),
            name="change_request_one_open_per_field")]

    def __str__(self):
        return f"{self.carrier} {self.get_field_display()}变更"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
