"""Carrier types as data; the rules of each live in carriers/rules/<code>.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import City
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
