"""Organisations (申报单位), districts, and people with their roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .uscc import normalise, validate_uscc


class City(models.TextChoices):
    BEIJING = "beijing", _("北京市")
    GUANGZHOU = "guangzhou", _("广州市")


CITY_BUREAUS = {
    City.BEIJING: "北京市经济和信息化局",
    City.GUANGZHOU: "广州市工业和信息化局",
}


class District(models.Model):
    """A district (区) with its GB/T 2260 code; BJ's development zone has a local code."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    city = models.CharField(_("城市"), max_length=16, choices=City.choices, db_index=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["city", "sort_order", "code"]
        verbose_name = _("区")
        verbose_name_plural = _("区")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="district_unique_name_per_city")]

    def __str__(self):
        return f"{self.get_city_display()}{self.name}"

    @property
    def bureau_name(self) -> str:
        if self.city == City.BEIJING:
            return f"{self.name}中小企业主管部门"
        return f"{self.name}民营和中小企业主管部门"


def scoped_by_role(queryset, user, *, unit: str, district: str, city: str):
    """The shared shape of the visibility rules: an applicant unit sees its own rows (``unit`` field
    path), a district officer its district's (``district``), the city bureau and the GZ hub their city's
    (``city``); superusers everything; anyone else nothing."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.APPLICANT:
        return queryset.filter(**{unit: user.organisation_id})
    if user.role == Role.DISTRICT_OFFICER:
        return queryset.filter(**{district: user.district_id})
    if user.role in (Role.CITY_REVIEWER, Role.HUB_COORDINATOR):
        return queryset.filter(**{city: user.city})
    return queryset.none()


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisations a user may see: its own, its district's, its city's."""
        return scoped_by_role(self, user, unit="pk", district="district_id", city="district__city")


class Organisation(models.Model):
    """An applicant unit, identified by its 统一社会信用代码."""

    name = models.CharField(_("单位名称"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("注册所在区"))
    founded_on = models.DateField(_("成立日期"))
    legal_representative = models.CharField(_("法定代表人"), max_length=40)
    address = models.CharField(_("注册地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"))
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")

    def __str__(self):
        return self.name

    @property
    def city(self) -> str:
        return self.district.city

    def clean(self):
        super().clean()
        if self.uscc:
            self.uscc = normalise(self.uscc)


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位用户")
    DISTRICT_OFFICER = "district_officer", _("区主管部门经办人")
    CITY_REVIEWER = "city_reviewer", _("市主管部门审核人")
    HUB_COORDINATOR = "hub_coordinator", _("服务总站协调员")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")


OFFICIAL_ROLES = (Role.DISTRICT_OFFICER, Role.CITY_REVIEWER, Role.HUB_COORDINATOR, Role.EXPERT, Role.ADMIN)


class User(AbstractUser):
    """A person. Applicants belong to an organisation; officials to a district or city."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    real_name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号码"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("所属单位"),
    )
    is_org_admin = models.BooleanField(_("单位管理员"), default=False)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="officers",
        verbose_name=_("所属区"),
    )
    city = models.CharField(_("所属城市"), max_length=16, choices=City.choices, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="applicant_has_organisation",
                condition=~Q(role="applicant") | Q(organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="district_officer_has_district",
                condition=~Q(role="district_officer") | Q(district__isnull=False),
            ),
            models.CheckConstraint(
                name="only_applicants_have_organisation",
                condition=Q(role="applicant") | Q(organisation__isnull=True),
            ),
            models.CheckConstraint(
                name="city_officials_have_city",
                condition=~Q(role__in=["city_reviewer", "hub_coordinator", "expert"]) | ~Q(city=""),
            ),
            models.CheckConstraint(
                name="hub_coordinator_in_guangzhou",
                condition=~Q(role="hub_coordinator") | Q(city="guangzhou"),
            ),
        ]

    def __str__(self):
        return self.real_name or self.username

    def clean(self):
        super().clean()
        if self.role == Role.DISTRICT_OFFICER:
            if not self.district_id:
                raise ValidationError({"district": _("区主管部门经办人必须绑定一个区。")})
            self.city = self.district.city
        if self.role == Role.APPLICANT and not self.organisation_id:
            raise ValidationError({"organisation": _("申报单位用户必须属于一个单位。")})
        if self.role != Role.APPLICANT and self.organisation_id:
            raise ValidationError({"organisation": _("只有申报单位用户可以属于申报单位。")})
        if self.role in (Role.CITY_REVIEWER, Role.HUB_COORDINATOR, Role.EXPERT) and not self.city:
            raise ValidationError({"city": _("该角色必须绑定所属城市。")})
        if self.role == Role.HUB_COORDINATOR and self.city != City.GUANGZHOU:
            raise ValidationError({"city": _("服务总站协调员只设于广州市。")})

    def save(self, *args, **kwargs):
        if self.role == Role.DISTRICT_OFFICER and self.district_id and not self.city:
            self.city = District.objects.only("city").get(pk=self.district_id).city
        if self.role == Role.APPLICANT and self.organisation_id and not self.city:
            self.city = Organisation.objects.values_list("district__city", flat=True).get(pk=self.organisation_id)
        super().save(*args, **kwargs)

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    @property
    def bureau_name(self) -> str:
        if self.role == Role.DISTRICT_OFFICER and self.district_id:
            return self.district.bureau_name
        if self.role == Role.HUB_COORDINATOR:
            return "广州市民营和中小企业服务总站"
        if self.city:
            return CITY_BUREAUS[City(self.city)]
        return ""
