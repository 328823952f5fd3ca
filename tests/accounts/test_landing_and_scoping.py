"""Role landing pages, and officials scoped to their own district or city."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Organisation, Role, User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "heading"),
    [
        (factories.DistrictOfficerFactory, "海淀区中小企业主管部门"),
        (factories.CityReviewerFactory, "北京市经济和信息化局"),
        (factories.HubCoordinatorFactory, "广州市民营和中小企业服务总站"),
        (factories.ExpertFactory, "评审专家工作台"),
        (factories.AdminFactory, "系统管理员工作台"),
    ],
)
def test_each_official_role_has_its_landing_page(client, factory, heading):
    client.force_login(factory())
    response = client.get(reverse("accounts:landing"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_applicant_landing_shows_its_organisation(client, applicant):
    client.force_login(applicant)
    body = client.get(reverse("accounts:landing")).content.decode()
    assert "申报单位工作台" in body and applicant.organisation.name in body


def test_landing_requires_login(client):
    response = client.get(reverse("accounts:landing"))
    assert response.status_code == 302


def test_district_officer_sees_only_its_district(client):
    haidian_org = factories.OrganisationFactory(district_code="110108", name="海淀甲公司")
    chaoyang_org = factories.OrganisationFactory(district_code="110105", name="朝阳乙公司")
    gz_org = factories.OrganisationFactory(district_code="440106", name="天河丙公司")
    officer = factories.DistrictOfficerFactory(district_code="110108")
    assert list(Organisation.objects.visible_to(officer)) == [haidian_org]
    client.force_login(officer)
    body = client.get(reverse("accounts:landing")).content.decode()
    assert haidian_org.name in body
    assert chaoyang_org.name not in body and gz_org.name not in body


def test_city_reviewer_sees_only_its_city(client):
    bj = factories.OrganisationFactory(district_code="110108")
    gz = factories.OrganisationFactory(district_code="440106")
    reviewer = factories.CityReviewerFactory(city="guangzhou")
    assert list(Organisation.objects.visible_to(reviewer)) == [gz]
    client.force_login(reviewer)
    body = client.get(reverse("accounts:landing")).content.decode()
    assert "天河区" in body and "海淀区" not in body
    assert bj not in Organisation.objects.visible_to(reviewer)


def test_applicant_sees_only_its_own_organisation(applicant):
    factories.OrganisationFactory()
    assert list(Organisation.objects.visible_to(applicant)) == [applicant.organisation]


def test_expert_and_anonymous_see_no_organisations(db):
    from django.contrib.auth.models import AnonymousUser

    factories.OrganisationFactory()
    assert not Organisation.objects.visible_to(factories.ExpertFactory()).exists()
    assert not Organisation.objects.visible_to(AnonymousUser()).exists()


def test_district_officer_must_have_a_district(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="nodistrict", role=Role.DISTRICT_OFFICER)


def test_hub_coordinator_only_in_guangzhou(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="bjhub", role=Role.HUB_COORDINATOR, city="beijing")


def test_officer_city_follows_its_district(db):
    officer = factories.DistrictOfficerFactory(district_code="440113", city="")
    assert officer.city == "guangzhou"


def test_organisation_page_is_for_applicants_only(client):
    client.force_login(factories.DistrictOfficerFactory())
    assert client.get(reverse("accounts:organisation")).status_code == 403


def _nav_rows(body):
    """The public row and the work row of the navigation, as HTML."""
    nav = body[body.index('<nav class="site-nav"'):body.index("</nav>")]
    public, _, work = nav.partition('class="work-nav"')
    return public, work


def test_the_city_reviewers_work_entries_have_a_row_of_their_own(client):
    client.force_login(factories.CityReviewerFactory())
    public, work = _nav_rows(client.get(reverse("accounts:landing")).content.decode())
    assert "认定名单" in public and "市级审核" not in public
    for label in ("工作台", "市级审核", "公示管理", "认定公告", "载体管理", "统计分析"):
        assert label in work
    assert 'aria-current="page"' in work  # the landing page is marked where it is


def test_visitors_see_only_the_public_row(client):
    public, work = _nav_rows(client.get(reverse("home")).content.decode())
    assert "认定名单" in public and work == ""
