"""seed_demo: idempotent, refused with DEBUG off."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import District, Organisation, User
from applications.models import Round
from carriers.models import CarrierType

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "districts": list(District.objects.order_by("code").values_list("code", "name", "city")),
        "types": list(CarrierType.objects.order_by("code").values()),
        "orgs": list(Organisation.objects.order_by("uscc").values("uscc", "name", "district_id")),
        "users": list(User.objects.order_by("username").values("username", "role", "district_id", "city",
                                                               "organisation_id", "password")),
        "rounds": list(Round.objects.order_by("carrier_type_id").values()),
    }


def test_seed_demo_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first
    assert len(first["districts"]) == 28
    assert {r["carrier_type_id"] for r in first["rounds"]} == set(
        CarrierType.objects.open_to_applications().values_list("pk", flat=True))
    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= {"applicant", "district_officer", "city_reviewer", "hub_coordinator", "expert", "admin"}
    assert all(r.is_open() for r in Round.objects.all())


def test_seed_demo_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="仅用于开发环境"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_reference_data_matches_domain(db):
    """Districts: BJ 16 + development zone, GZ 11; the five carrier types with their rules."""
    assert District.objects.filter(city="beijing").count() == 17
    assert District.objects.filter(city="guangzhou").count() == 11
    assert District.objects.get(code="110108").name == "海淀区"
    assert District.objects.get(code="440118").name == "增城区"
    types = {t.code: t for t in CarrierType.objects.all()}
    assert set(types) == {"bj_srdi_station", "bj_demo_platform", "bj_demo_base", "gz_service_station",
                          "gz_hub_station"}
    assert types["bj_srdi_station"].validity_years == 1
    assert types["gz_service_station"].validity_years == 3 and types["gz_service_station"].requires_expert_review
    assert types["bj_demo_platform"].reapply_ban_years == 2 and types["bj_demo_base"].reapply_ban_years == 2
    assert types["bj_demo_platform"].min_service_functions == 1
    assert types["bj_demo_base"].min_service_functions == 3
    assert not types["gz_hub_station"].publicly_applicable


def test_load_reference_data_is_idempotent(db):
    call_command("load_reference_data", stdout=io.StringIO())
    assert District.objects.count() == 28 and CarrierType.objects.count() == 5
