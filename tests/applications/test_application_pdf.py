"""The 申请表 PDF: the applicant's Chinese name as text, a CJK font embedded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def test_application_pdf_has_the_name_as_text_and_a_cjk_font(client):
    org = factories.OrganisationFactory(name="北京智造创新服务有限公司")
    app = factories.ApplicationFactory(organisation=org, carrier_name="智造创新服务站",
                                       facts={"office_area_m2": "120", "legal_person": True})
    client.force_login(factories.ApplicantFactory(organisation=org))
    response = client.get(reverse("applications:pdf", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "北京智造创新服务有限公司" in text
    assert "智造创新服务站" in text
    assert "固定办公场所面积" in text
    assert any("CJK" in name or "Noto" in name for name in fonts_of(reader)), fonts_of(reader)


def test_district_sees_the_pdf_only_after_submission(client):
    app = factories.ApplicationFactory()
    officer = factories.DistrictOfficerFactory(district_code=app.district.code)
    client.force_login(officer)
    assert client.get(reverse("applications:pdf", args=[app.pk])).status_code == 404
    type(app).objects.filter(pk=app.pk).update(state=ApplicationState.DISTRICT_REVIEW,
                                               submitted_at="2026-11-20T10:00:00+08:00")
    assert client.get(reverse("applications:pdf", args=[app.pk])).status_code == 200
    client.force_login(factories.DistrictOfficerFactory(district_code="110105"))
    assert client.get(reverse("applications:pdf", args=[app.pk])).status_code == 404
