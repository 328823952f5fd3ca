"""Revocation on the type's enumerated grounds, bans, voluntary withdrawal, extension and expiry."""

import datetime

import pytest

from applications.guards import filing_problems
from carriers import lifecycle
from carriers.models import Carrier, CarrierEvent
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def test_platform_false_materials_revokes_with_a_two_year_ban():
    """BJ platform 第十五条（一）: revoked, no new application for two years."""
    carrier = factories.CarrierFactory(type_code="bj_demo_platform", valid_until=None)
    lifecycle.revoke(carrier.pk, "false_materials", factories.CityReviewerFactory(), D(2026, 11, 24), "核查属实")
    carrier.refresh_from_db()
    assert carrier.status == Carrier.Status.REVOKED and carrier.ban_until == D(2028, 11, 24)
    assert carrier.revocation_ground.startswith("第十五条（一）")
    event = CarrierEvent.objects.get(carrier=carrier)
    assert (event.action, event.from_status, event.to_status) == ("revoke", "active", "revoked")
    round_ = factories.RoundFactory(type_code="bj_demo_platform")
    assert any("前不得再次申报" in p for p in filing_problems(carrier.organisation, round_, D(2026, 12, 1)))


def test_platform_evaluation_fail_revokes_without_a_ban():
    """第十四条: 不合格 revokes; the two-year ban is only for 第十五条 grounds."""
    carrier = factories.CarrierFactory(type_code="bj_demo_platform", valid_until=None)
    lifecycle.revoke(carrier.pk, "evaluation_failed", None, D(2026, 11, 24))
    carrier.refresh_from_db()
    assert carrier.status == Carrier.Status.REVOKED and carrier.ban_until is None


def test_station_grounds_carry_no_ban():
    carrier = factories.CarrierFactory(type_code="bj_srdi_station")
    lifecycle.revoke(carrier.pk, "serious_dishonesty", None, D(2026, 11, 24))
    carrier.refresh_from_db()
    assert carrier.revocation_ground.startswith("第二十条（四）") and carrier.ban_until is None


def test_gz_ground_seven_is_a_voluntary_withdrawal():
    carrier = factories.CarrierFactory(type_code="gz_service_station",
                                       organisation=factories.OrganisationFactory(district_code="440106"))
    lifecycle.revoke(carrier.pk, "voluntary_withdrawal", None, D(2026, 11, 24), "运营单位申请不再承担")
    carrier.refresh_from_db()
    assert carrier.status == Carrier.Status.WITHDRAWN and carrier.revocation_ground.startswith("四（三）7")


@pytest.mark.parametrize("ground", ["no_such_ground", "voluntary_withdrawal"])
def test_unknown_or_foreign_ground_refused(ground):
    carrier = factories.CarrierFactory(type_code="bj_srdi_station")
    with pytest.raises(lifecycle.LifecycleRefused, match="没有这一撤销依据"):
        lifecycle.revoke(carrier.pk, ground, None, D(2026, 11, 24))
    carrier.refresh_from_db()
    assert carrier.status == Carrier.Status.ACTIVE and not CarrierEvent.objects.exists()


def test_revoked_twice_refused():
    carrier = factories.CarrierFactory()
    lifecycle.revoke(carrier.pk, "other", None, D(2026, 11, 24))
    with pytest.raises(lifecycle.LifecycleRefused, match="不能撤销"):
        lifecycle.revoke(carrier.pk, "other", None, D(2026, 11, 25))


def test_extend_and_expire_are_recorded_and_expiry_is_idempotent():
    keep = factories.CarrierFactory(valid_until=D(2026, 12, 31))
    due = factories.CarrierFactory(valid_until=D(2026, 11, 1))
    open_ended = factories.CarrierFactory(type_code="bj_demo_base", valid_until=None)
    lifecycle.extend(keep.pk, D(2027, 12, 31), None, D(2026, 11, 24), "年度绩效评价合格")
    assert lifecycle.expire_due(D(2026, 11, 24), dry_run=True) == [due.pk]
    assert Carrier.objects.get(pk=due.pk).status == Carrier.Status.ACTIVE
    assert lifecycle.expire_due(D(2026, 11, 24)) == [due.pk]
    assert lifecycle.expire_due(D(2026, 11, 24)) == []
    statuses = dict(Carrier.objects.values_list("pk", "status"))
    assert statuses == {keep.pk: "active", due.pk: "expired", open_ended.pk: "active"}
    assert Carrier.objects.get(pk=keep.pk).valid_until == D(2027, 12, 31)
    assert CarrierEvent.objects.filter(carrier=due, action="expire").count() == 1
