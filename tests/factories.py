"""Factories for tests. Districts and carrier types come from the migrations."""

import datetime

import factory

from accounts.models import City, District, Organisation, Role, User
from accounts.uscc import ALPHABET, check_character

PASSWORD = "Test#Password2026"


def uscc_for(n: int, region: str = "110108") -> str:
    """A valid credit code, distinct for each n."""
    tail = ""
    for _ in range(9):
        n, digit = divmod(n, 31)
        tail = ALPHABET[digit] + tail
    first17 = "91" + region + tail
    return first17 + check_character(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        exclude = ("district_code",)

    district_code = "110108"
    district = factory.LazyAttribute(lambda o: District.objects.get(code=o.district_code))
    name = factory.Sequence(lambda n: f"测试服务有限公司{n}号")
    uscc = factory.Sequence(lambda n: uscc_for(n + 1000))
    founded_on = datetime.date(2018, 1, 1)
    legal_representative = "王法人"
    address = "测试路1号"
    contact_name = "李联系"
    contact_phone = "010-12345678"
    contact_email = factory.Sequence(lambda n: f"org{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)


class ApplicantFactory(UserFactory):
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)
    city = factory.LazyAttribute(lambda o: o.organisation.district.city)


class DistrictOfficerFactory(UserFactory):
    class Meta:
        model = User
        exclude = ("district_code",)

    district_code = "110108"
    role = Role.DISTRICT_OFFICER
    district = factory.LazyAttribute(lambda o: District.objects.get(code=o.district_code))
    city = factory.LazyAttribute(lambda o: o.district.city)


class CityReviewerFactory(UserFactory):
    role = Role.CITY_REVIEWER
    city = City.BEIJING


class HubCoordinatorFactory(UserFactory):
    role = Role.HUB_COORDINATOR
    city = City.GUANGZHOU


class ExpertFactory(UserFactory):
    role = Role.EXPERT
    city = City.GUANGZHOU


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


def carrier_type(code: str):
    from carriers.models import CarrierType

    return CarrierType.objects.get(code=code)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Round"
        exclude = ("type_code",)

    type_code = "bj_srdi_station"
    carrier_type = factory.LazyAttribute(lambda o: carrier_type(o.type_code))
    year = factory.Sequence(lambda n: 2026 + n)
    title = factory.LazyAttribute(lambda o: f"关于开展{o.year}年度{o.carrier_type.name}申报工作的通知")
    opens_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=20))
    district_deadline = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=30))
    notice_text = "请符合条件的单位在申报期内在线填报。"


def _today():
    from django.utils import timezone

    return timezone.localdate()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; the organisation must match the round's city."""

    class Meta:
        model = "applications.Application"

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    carrier_type = factory.LazyAttribute(lambda o: o.round.carrier_type)
    district = factory.LazyAttribute(lambda o: o.organisation.district)
    applicant_name = factory.LazyAttribute(lambda o: o.organisation.name)
    uscc = factory.LazyAttribute(lambda o: o.organisation.uscc)
    legal_representative = "王法人"
    address = "测试路1号"
    contact_name = "李联系"
    contact_phone = "010-12345678"
    contact_email = "contact@example.com"
    created_by = factory.LazyAttribute(lambda o: ApplicantFactory(organisation=o.organisation))
    number = factory.Sequence(lambda n: f"SB2026{n:06d}")


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "carriers.Carrier"
        exclude = ("type_code",)

    type_code = "bj_srdi_station"
    carrier_type = factory.LazyAttribute(lambda o: carrier_type(o.type_code))
    organisation = factory.SubFactory(OrganisationFactory)
    district = factory.LazyAttribute(lambda o: o.organisation.district)
    name = factory.Sequence(lambda n: f"测试{n}服务站")
    number = factory.Sequence(lambda n: f"BJZJTX2026{n:04d}")
    valid_from = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=100))
    valid_until = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=265))


def submitted_application(**kwargs):
    """An application waiting for its district (district_review, submitted now); kwargs go to ApplicationFactory."""
    from django.utils import timezone

    kwargs.setdefault("state", "district_review")
    kwargs.setdefault("submitted_at", timezone.now())
    return ApplicationFactory(**kwargs)
