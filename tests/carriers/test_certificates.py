"""Certificates (证书) and plaques (牌匾): the PDF, the idempotent task, who may download; the GZ hub."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from PIL import ImageOps
from pypdf import PdfReader

from carriers import certificates, hub
from carriers.models import Carrier
from carriers.tasks import generate_certificate
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def base_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.fixture
def bj_carrier():
    org = factories.OrganisationFactory(district_code="110108", name="北京星河科技服务有限公司")
    return factories.CarrierFactory(organisation=org, name="星河专精特新企业服务站", number="BJZJTX-2026-0007",
                                    valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2027, 2, 28))


def read(carrier) -> bytes:
    carrier.refresh_from_db()
    with carrier.document.open("rb") as handle:
        return handle.read()


def test_task_is_idempotent_unless_forced(bj_carrier):
    assert generate_certificate.delay(bj_carrier.pk).get() is True
    bj_carrier.refresh_from_db()
    first_name, first_at = bj_carrier.document.name, bj_carrier.document_generated_at
    assert first_name and first_at
    assert generate_certificate(bj_carrier.pk) is False
    bj_carrier.refresh_from_db()
    assert (bj_carrier.document.name, bj_carrier.document_generated_at) == (first_name, first_at)
    assert generate_certificate(bj_carrier.pk, force=True) is True
    bj_carrier.refresh_from_db()
    assert bj_carrier.document.name != first_name
    assert generate_certificate(999999) is False


def test_certificate_pdf_content_and_cjk_font(bj_carrier):
    certificates.generate(bj_carrier.pk)
    pdf = read(bj_carrier)
    text = text_of(pdf)
    assert "星河专精特新企业服务站" in text
    assert "BJZJTX-2026-0007" in text
    assert "北京市专精特新企业服务站" in text and "北京市经济和信息化局" in text
    assert "2027年2月28日" in text
    assert any("CJK" in font for font in base_fonts(pdf)), base_fonts(pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape A4


def test_plaque_for_guangzhou_and_open_ended_wording():
    org = factories.OrganisationFactory(district_code="440106", name="广州天河创新服务有限公司")
    gz = factories.CarrierFactory(type_code="gz_service_station", organisation=org, name="天河服务站",
                                  number="GZFWZ-2026-0001")
    platform = factories.CarrierFactory(type_code="bj_demo_platform", number="BJSFPT-2026-0001", valid_until=None)
    text = text_of(certificates.render_certificate(gz))
    assert "广州市民营和中小企业服务站" in text and "广州市工业和信息化局" in text and "天河服务站" in text
    assert "长期有效，以年度绩效评价结果为准" in text_of(certificates.render_certificate(platform))


def test_qr_code_points_to_the_absolute_verification_url(bj_carrier, settings):
    settings.SITE_URL = "https://zxqy.example.gov.cn"
    context = certificates.certificate_context(bj_carrier)
    assert context["verify_url"] == "https://zxqy.example.gov.cn/verify/BJZJTX-2026-0007/"
    assert context["qr"].startswith("data:image/png;base64,")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm 未安装")
def test_certificate_renders_to_a_landscape_png(bj_carrier, tmp_path):
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificates.render_certificate(bj_carrier))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    width, height = Image.open(pages[0]).size
    assert width > height


def test_numbering_and_validity_helpers():
    station = factories.carrier_type("bj_srdi_station")
    assert certificates.next_numbers(station, 2026, 2) == ["BJZJTX-2026-0001", "BJZJTX-2026-0002"]
    factories.CarrierFactory(number="BJZJTX-2026-0041")
    assert certificates.next_numbers(station, 2026) == ["BJZJTX-2026-0042"]
    assert certificates.next_numbers(station, 2027) == ["BJZJTX-2027-0001"]
    assert certificates.validity_end(station, datetime.date(2026, 1, 1)) == datetime.date(2026, 12, 31)
    assert certificates.validity_end(factories.carrier_type("gz_service_station"),
                                     datetime.date(2026, 3, 1)) == datetime.date(2029, 2, 28)
    assert certificates.validity_end(factories.carrier_type("bj_demo_base"), datetime.date(2026, 3, 1)) is None


def test_download_permissions(client, bj_carrier):
    url = reverse("carriers:certificate", args=[bj_carrier.pk])
    own = factories.ApplicantFactory(organisation=bj_carrier.organisation)
    others = [
        None,
        factories.ApplicantFactory(organisation=factories.OrganisationFactory(district_code="110108")),
        factories.DistrictOfficerFactory(district_code="110108"),
        factories.CityReviewerFactory(city="guangzhou"),
        factories.HubCoordinatorFactory(),
        factories.ExpertFactory(city="beijing"),
        factories.AdminFactory(),
    ]
    for user in others:
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404, user
    assert not Carrier.objects.get(pk=bj_carrier.pk).document  # nothing generated for outsiders
    for user in (own, factories.CityReviewerFactory(city="beijing")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF-")
        assert "BJZJTX-2026-0007" in text_of(body)
    assert Carrier.objects.get(pk=bj_carrier.pk).document_generated_at is not None


# --- The GZ hub (服务总站): designated by commission, one at a time ---

def gz_org(name="广州总站运营有限公司"):
    return factories.OrganisationFactory(district_code="440106", name=name)


def test_hub_designation_one_active_at_a_time():
    reviewer = factories.CityReviewerFactory(city="guangzhou")
    first = hub.designate(reviewer, organisation=gz_org(), commission_document="穗工信函〔2025〕8号",
                          valid_from=datetime.date(2025, 1, 1))
    assert first.carrier_type.code == "gz_hub_station" and first.status == Carrier.Status.ACTIVE
    assert first.number == "GZFWZZ-2025-0001" and first.valid_until is None
    second_org = gz_org("广州新总站有限公司")
    with pytest.raises(hub.HubRefused) as refused:
        hub.designate(reviewer, organisation=second_org, commission_document="穗工信函〔2026〕3号",
                      valid_from=datetime.date(2026, 1, 1))
    assert "同一时间只能有一个服务总站" in refused.value.message
    assert Carrier.objects.filter(carrier_type__code="gz_hub_station").count() == 1
    second = hub.designate(reviewer, organisation=second_org, commission_document="穗工信函〔2026〕3号",
                           valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2028, 12, 31),
                           end_current=True)
    first.refresh_from_db()
    assert first.status == Carrier.Status.EXPIRED and first.valid_until == datetime.date(2025, 12, 31)
    assert hub.current_hub() == second
    assert list(hub.current_hubs()) == [second]


def test_hub_designation_refused_to_beijing_and_for_beijing_units():
    with pytest.raises(hub.HubRefused):
        hub.designate(factories.CityReviewerFactory(city="beijing"), organisation=gz_org(),
                      commission_document="x", valid_from=datetime.date(2026, 1, 1))
    with pytest.raises(hub.HubRefused):
        hub.designate(factories.CityReviewerFactory(city="guangzhou"),
                      organisation=factories.OrganisationFactory(district_code="110108"),
                      commission_document="x", valid_from=datetime.date(2026, 1, 1))
    assert not Carrier.objects.exists()


def test_hub_designation_view(client, django_capture_on_commit_callbacks):
    url = reverse("reviews:hub_designation")
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    assert client.get(url).status_code == 403
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    assert client.get(url).status_code == 200
    org = gz_org()
    data = {"uscc": org.uscc.lower(), "name": "广州市民营和中小企业服务总站",
            "commission_document": "穗工信函〔2026〕3号", "valid_from": "2026-01-01", "valid_until": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    carrier = Carrier.objects.get()
    assert carrier.organisation == org and carrier.commission_document == "穗工信函〔2026〕3号"
    assert carrier.document  # the plaque was generated after the commit
    again = client.post(url, {**data, "uscc": gz_org("另一家总站有限公司").uscc})
    assert again.status_code == 400 and "同一时间只能有一个服务总站" in again.content.decode()
    bad = client.post(url, {**data, "uscc": factories.OrganisationFactory(district_code="110108").uscc})
    assert bad.status_code == 400 and "广州市的单位" in bad.content.decode()
    # shown on the public site
    client.logout()
    assert org.name in client.get(reverse("home")).content.decode()
    listing = client.get(reverse("carrier_list"), {"type": "gz_hub_station"}).content.decode()
    assert carrier.number in listing and org.name in listing


def test_certificate_qr_code_decodes_to_the_verification_url(bj_carrier, settings):
    """The QR code printed on the certificate, read back from the PDF's image, opens /verify/<number>/."""
    import zxingcpp

    settings.SITE_URL = "https://zxqy.example.gov.cn"
    generate_certificate(bj_carrier.pk, force=True)
    reader = PdfReader(io.BytesIO(read(bj_carrier)))
    decoded = []
    for page in reader.pages:
        for image in page.images:
            picture = image.image.convert("L")
            # Give the decoder a quiet zone and enough pixels per module.
            picture = ImageOps.expand(picture.resize((picture.width * 4, picture.height * 4)), border=40, fill=255)
            decoded += [result.text for result in zxingcpp.read_barcodes(picture)]
    assert "https://zxqy.example.gov.cn/verify/BJZJTX-2026-0007/" in decoded
