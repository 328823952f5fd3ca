"""Carrier types as data; the rules of each live in carriers/rules/<code>.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import City


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
