"""PDF rendering: CJK text with embedded fonts, PDF/UA tags, the red-header template, the
static-only resource fetcher, WeasyPrint errors made visible, and QR codes."""

import base64
import io
import logging
import re
import socket

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from portal.pdf import ResourceRefused, StaticOnlyFetcher, qr_code_data_uri, render_pdf

FORM_TITLE = "北京市专精特新企业服务站申请表"
UNIT = "测试单位有限公司"
ISSUER = "北京市经济和信息化局文件"
DOC_NUMBER = "京经信发〔2026〕5号"
NOTICE_TITLE = "关于公布2026年度北京市中小企业公共服务示范平台名单的通知"

TEMPLATES = {
    "tests/form.html": """{% extends "pdf/base.html" %}
{% block title %}{{ form_title }}{% endblock %}
{% block content %}
<h1 class="doc-title">{{ form_title }}</h1>
<table class="form-table">
  <tr><th>申报单位</th><td>{{ unit }}</td></tr>
  <tr><th>统一社会信用代码</th><td>91110108MA01ABCD2X</td></tr>
</table>
<h2>一、服务方案</h2>
<div class="long-text"><p>面向中小企业提供政策咨询、融资对接与数字化转型服务。</p></div>
<img class="qr-code" src="{{ qr }}" alt="证书验证二维码">
{% endblock %}""",
    "tests/notice.html": """{% extends "pdf/red_header.html" %}
{% block content %}
<p>各区经济和信息化局：</p>
<p>为贯彻落实国家关于促进中小企业发展的决策部署，现将有关事项通知如下。</p>
{% endblock %}""",
    "tests/hostile.html": """{% extends "pdf/base.html" %}
{% block title %}外部资源{% endblock %}
{% block extra_head %}<link rel="stylesheet" href="http://example.com/evil.css">{% endblock %}
{% block content %}
<p>外部资源不应被获取。</p>
<img src="file:///etc/passwd" alt="本地文件">
<img src="http://example.com/x.png" alt="外部图片">
<img src="/static/../../../../etc/passwd" alt="路径穿越">
{% endblock %}""",
}


def _engine_with_test_templates():
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", TEMPLATES),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    return [engine]


@pytest.fixture(scope="module")
def test_templates():
    with override_settings(TEMPLATES=_engine_with_test_templates()):
        yield


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        pytest.fail(f"network access during PDF rendering: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


FORM_CONTEXT = {"form_title": FORM_TITLE, "unit": UNIT}
NOTICE_CONTEXT = {"issuer": ISSUER, "document_number": DOC_NUMBER, "title": NOTICE_TITLE}


@pytest.fixture(scope="module")
def form_pdf(test_templates):
    return render_pdf("tests/form.html", {**FORM_CONTEXT, "qr": qr_code_data_uri("https://example.gov.cn/v/1")})


@pytest.fixture(scope="module")
def notice_pdf(test_templates):
    return render_pdf("tests/notice.html", NOTICE_CONTEXT)


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def fonts_of(pdf: bytes) -> dict[str, object]:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_chinese_text_is_extractable(form_pdf):
    assert form_pdf.startswith(b"%PDF-")
    text = text_of(form_pdf)
    assert FORM_TITLE in text
    assert UNIT in text
    assert "—1—" in text, "page number at the foot"


def test_a_cjk_font_is_embedded(form_pdf):
    fonts = fonts_of(form_pdf)
    cjk = {name: font for name, font in fonts.items() if "CJK" in name or "Noto" in name}
    assert cjk, f"no CJK font among {list(fonts)}"
    for name, font in cjk.items():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert {"/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"


def test_pdf_is_tagged_pdf_ua(form_pdf):
    reader = PdfReader(io.BytesIO(form_pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "zh-CN"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    assert reader.metadata.title == FORM_TITLE


def test_normal_template_renders_without_weasyprint_errors(test_templates, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf("tests/form.html", {**FORM_CONTEXT, "qr": qr_code_data_uri("https://example.gov.cn/v/1")})
        render_pdf("tests/notice.html", NOTICE_CONTEXT)
    problems = [r for r in caplog.records if r.name.startswith(("weasyprint", "portal.pdf"))]
    assert not problems, [r.getMessage() for r in problems]


def test_red_header_renders_issuer_number_and_title(notice_pdf):
    text = text_of(notice_pdf)
    assert ISSUER in text
    assert DOC_NUMBER in text
    assert NOTICE_TITLE in text
    assert "各区经济和信息化局" in text
    content = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(notice_pdf)).pages)
    assert re.search(rb"0\.8 0 0 (rg|RG)", content), "the masthead and rule are red (#c00)"


def test_red_header_template_renders_on_its_own(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf("pdf/red_header.html", {**NOTICE_CONTEXT, "document_number": ""})
    assert ISSUER in text_of(pdf)
    assert not caplog.records


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/css/print.css",
        "ftp://example.com/x.png",
        f"{settings.SITE_URL}/media/x.png",
        f"{settings.SITE_URL}/static/../../../../etc/passwd",
        f"{settings.SITE_URL}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{settings.SITE_URL}/static/..%5C..%5Cboot.ini",
    ],
)
def test_fetcher_refuses_everything_but_static_and_data(url):
    with pytest.raises((ResourceRefused, FileNotFoundError)):
        StaticOnlyFetcher(f"{settings.SITE_URL}/").fetch(url)


def test_fetcher_serves_static_files_and_data_uris():
    fetcher = StaticOnlyFetcher(f"{settings.SITE_URL}/")
    css = fetcher.fetch(f"{settings.SITE_URL}/static/css/print.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    png = fetcher.fetch(qr_code_data_uri("https://example.gov.cn/v/2"))
    assert png.content_type == "image/png"
    assert png.read().startswith(b"\x89PNG")
    assert fetcher.fetch("data:,%E4%B8%AD").read() == "中".encode()


def test_hostile_template_still_renders_and_the_refusals_are_logged(test_templates, caplog):
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf("tests/hostile.html", {})
    assert pdf.startswith(b"%PDF-")
    assert "外部资源不应被获取" in text_of(pdf)
    weasy_errors = " ".join(r.getMessage() for r in caplog.records if r.name == "weasyprint" and r.levelno >= 40)
    for url in ("file:///etc/passwd", "http://example.com/x.png", "http://example.com/evil.css"):
        assert url in weasy_errors
    summary = [r for r in caplog.records if r.name == "portal.pdf" and r.levelno >= logging.ERROR]
    assert summary and "tests/hostile.html" in summary[0].getMessage()


def test_qr_code_data_uri_is_a_png_image():
    uri = qr_code_data_uri("https://sme.example.gov.cn/certificates/verify/2026-000123")
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(uri[len(prefix):])))
    assert image.format == "PNG"
    assert image.width == image.height >= 21 * 8
    with pytest.raises(ValueError):
        qr_code_data_uri("")


def test_pdf_ua_failure_falls_back_to_a_plain_pdf(test_templates, monkeypatch, caplog):
    from weasyprint import HTML

    original = HTML.write_pdf

    def failing_variant(self, *args, **kwargs):
        if kwargs.get("pdf_variant"):
            raise RuntimeError("simulated tagging failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", failing_variant)
    with caplog.at_level(logging.ERROR, logger="portal.pdf"):
        pdf = render_pdf("tests/notice.html", NOTICE_CONTEXT)
    assert ISSUER in text_of(pdf)
    assert "/StructTreeRoot" not in PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert any("simulated tagging failure" in (r.exc_text or str(r.exc_info)) for r in caplog.records)
