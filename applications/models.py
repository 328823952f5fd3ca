"""Rounds (申报通知) and, later, the applications filed in them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carriers.models import CarrierType


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
