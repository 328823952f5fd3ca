"""Filing guards: one live application per organisation, type and round; title holders
and banned organisations refused; wrong city refused; only inside the round's dates."""

import datetime

import pytest
from django.utils import timezone

from applications.guards import filing_problems
from applications.models import ApplicationState
from carriers.models import Carrier
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_eligible_organisation_may_file(beijing_org, today):
    assert filing_problems(beijing_org, factories.RoundFactory(), today) == []


def test_wrong_city_is_refused(guangzhou_org, today):
    problems = filing_problems(guangzhou_org, factories.RoundFactory(type_code="bj_srdi_station"), today)
    assert any("注册在广州市，不能申报北京市" in p for p in problems)


def test_gz_type_refused_for_beijing_unit(beijing_org, today):
    problems = filing_problems(beijing_org, factories.RoundFactory(type_code="gz_service_station"), today)
    assert any("不能申报广州市" in p for p in problems)


@pytest.mark.parametrize(("opens", "closes", "ok"), [(1, 10, False), (-10, -1, False), (0, 0, True), (-5, 0, True)])
def test_only_inside_the_round_dates(beijing_org, today, opens, closes, ok):
    round_ = factories.RoundFactory(opens_on=today + datetime.timedelta(days=opens),
                                    closes_on=today + datetime.timedelta(days=closes))
    problems = filing_problems(beijing_org, round_, today)
    assert (problems == []) is ok
    if not ok:
        assert "不在申报期内" in problems[0]


def test_one_live_application_per_org_type_round(beijing_org, today):
    app = factories.ApplicationFactory(organisation=beijing_org)
    problems = filing_problems(beijing_org, app.round, today)
    assert any("已有一份该类型的申报" in p for p in problems)
    type(app).objects.filter(pk=app.pk).update(state=ApplicationState.WITHDRAWN)
    assert filing_problems(beijing_org, app.round, today) == []


def test_holder_of_an_active_title_is_refused(beijing_org, today):
    factories.CarrierFactory(organisation=beijing_org, number="BJZJTX20260001")
    problems = filing_problems(beijing_org, factories.RoundFactory(), today)
    assert any("已持有有效的" in p and "BJZJTX20260001" in p for p in problems)


def test_expired_title_does_not_block(beijing_org, today):
    factories.CarrierFactory(organisation=beijing_org, status=Carrier.Status.EXPIRED)
    assert filing_problems(beijing_org, factories.RoundFactory(), today) == []


def test_reapply_ban_blocks_until_it_ends(beijing_org, today):
    """BJ platform 第十五条: revoked on those grounds, no new application for two years."""
    factories.CarrierFactory(
        organisation=beijing_org, type_code="bj_demo_platform", status=Carrier.Status.REVOKED,
        revoked_on=today - datetime.timedelta(days=30), ban_until=today + datetime.timedelta(days=700),
        revocation_ground="第十五条（一）提供虚假材料",
    )
    round_ = factories.RoundFactory(type_code="bj_demo_platform")
    problems = filing_problems(beijing_org, round_, today)
    assert any("前不得再次申报" in p for p in problems)


def test_ban_ended_allows_filing(beijing_org, today):
    factories.CarrierFactory(
        organisation=beijing_org, type_code="bj_demo_platform", status=Carrier.Status.REVOKED,
        revoked_on=today - datetime.timedelta(days=800), ban_until=today - datetime.timedelta(days=70),
    )
    assert filing_problems(beijing_org, factories.RoundFactory(type_code="bj_demo_platform"), today) == []


def test_hub_is_not_publicly_applicable(guangzhou_org, today):
    round_ = factories.RoundFactory(type_code="gz_hub_station")
    assert any("不接受公开申报" in p for p in filing_problems(guangzhou_org, round_, today))
