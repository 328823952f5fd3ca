"""Rendering Django templates to PDF with WeasyPrint, and QR codes for printed documents.

Templates extend ``pdf/base.html`` (blocks ``title`` and ``content``) or ``pdf/red_header.html``
(an official document with the red masthead; context ``issuer``, ``document_number``, ``title``).
Resources are fetched only from our own static files and ``data:`` URIs: never from the file
system or the network. WeasyPrint problems are logged on the ``weasyprint`` logger and summed up,
with the template's name, on ``portal.pdf``.
"""

import base64
import io
import logging
import mimetypes
import posixpath
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils._os import safe_join

# WeasyPrint announces every rendering step (even on import) at INFO: keep that out of the console
# unless LOGGING configures "weasyprint.progress". Its errors and warnings go to "weasyprint".
_progress = logging.getLogger("weasyprint.progress")
if _progress.level == logging.NOTSET:
    _progress.setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger("portal.pdf")
PDF_VARIANT = "pdf/ua-1"


class ResourceRefused(ValueError):
    """A template asked for a resource outside /static/ and data: URIs."""


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher serving only our static files and ``data:`` URIs; everything else raises."""

    def __init__(self, base_url: str):
        super().__init__(allowed_protocols=())
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return _data_response(url)
        if url.split("#", 1)[0].split("?", 1)[0].startswith(self.static_prefix):
            return self._static_response(url)
        raise ResourceRefused(
            f"PDF 渲染不获取此资源（只允许 {settings.STATIC_URL} 下的静态文件与 data: URI）：{url[:200]}")

    def _static_response(self, url: str) -> URLFetcherResponse:
        relative = unquote(urlsplit(url).path[len(urlsplit(self.static_prefix).path):])
        normalised = posixpath.normpath(relative)
        if "\\" in relative or "\x00" in relative or normalised.startswith(("..", "/")) or normalised == ".":
            raise ResourceRefused(f"静态文件路径无效：{url[:200]}")
        path = finders.find(normalised) or _collected(normalised)
        if path is None:
            raise FileNotFoundError(f"找不到静态文件：{normalised}")
        mime = mimetypes.guess_type(normalised)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime})


def _collected(relative: str) -> str | None:
    """The file under STATIC_ROOT (e.g. a hashed name after collectstatic), if any."""
    if not settings.STATIC_ROOT:
        return None
    path = Path(safe_join(settings.STATIC_ROOT, relative))
    return str(path) if path.is_file() else None


def _data_response(url: str) -> URLFetcherResponse:
    header, comma, payload = url[len("data:"):].partition(",")
    if not comma:
        raise ResourceRefused("data: URI 格式错误。")
    params = header.split(";")
    is_base64 = params[-1].lower() == "base64"
    if is_base64:
        params.pop()
    body = unquote_to_bytes(payload)
    body = base64.b64decode(body) if is_base64 else body
    return URLFetcherResponse(url, body, {"Content-Type": ";".join(params) or "text/plain;charset=US-ASCII"})


class _ThreadRecords(logging.Handler):
    """Collects this thread's WeasyPrint warnings and errors during one rendering."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def _watch_weasyprint(template_name: str):
    handler = _ThreadRecords()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(handler)
    try:
        yield
    finally:
        weasy_logger.removeHandler(handler)
    errors = [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
    if errors:
        logger.error("PDF 模板 %s 渲染时 WeasyPrint 报告 %d 个错误：%s", template_name, len(errors), "；".join(errors))
    elif handler.records:
        logger.warning("PDF 模板 %s 渲染时 WeasyPrint 有 %d 条警告。", template_name, len(handler.records))


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template to a tagged PDF/UA-1 document and return its bytes.

    Relative URLs resolve against settings.SITE_URL, so links in the PDF point to the portal;
    only /static/ files and data: URIs are loaded. A PDF/UA failure falls back to a plain PDF (logged).
    """
    html = render_to_string(template_name, context, request=request)
    base_url = f"{settings.SITE_URL}/"
    with _watch_weasyprint(template_name):
        document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(base_url))
        try:
            return document.write_pdf(pdf_variant=PDF_VARIANT)
        except Exception:
            logger.exception("PDF 模板 %s 无法生成 %s，改为生成普通 PDF。", template_name, PDF_VARIANT)
            return document.write_pdf()


def qr_code_data_uri(url: str) -> str:
    """A ``data:image/png;base64,...`` QR code (error correction M) for the given URL."""
    if not url:
        raise ValueError("二维码内容不能为空。")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
