"""Lists that grow with the data run a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_applicant_list_is_bounded(client):
    org = factories.OrganisationFactory()
    client.force_login(factories.ApplicantFactory(organisation=org))
    counts = []
    for n in (3, 25):
        while org.applications.count() < n:
            factories.ApplicationFactory(organisation=org)
        counts.append(queries_for(client, reverse("applications:mine")))
    assert counts[0] == counts[1], counts


def test_round_management_is_bounded(client):
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    counts = []
    for n in (2, 25):
        while factories.carrier_type("bj_srdi_station").rounds.count() < n:
            factories.RoundFactory()
        counts.append(queries_for(client, reverse("applications:manage_rounds")))
    assert counts[0] == counts[1], counts


def test_public_rounds_and_district_landing_are_bounded(client):
    counts, landing = [], []
    officer = factories.DistrictOfficerFactory(district_code="110108")
    for n in (2, 25):
        while factories.carrier_type("bj_demo_base").rounds.count() < n:
            factories.RoundFactory(type_code="bj_demo_base")
            factories.OrganisationFactory(district_code="110108")
        client.logout()
        counts.append(queries_for(client, reverse("applications:rounds")))
        client.force_login(officer)
        landing.append(queries_for(client, reverse("accounts:landing")))
    assert counts[0] == counts[1], counts
    assert landing[0] == landing[1], landing
