"""Upload checks (content sniffing, names, size), private storage and private downloads."""

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from PIL import Image
from weasyprint import HTML

from portal.uploads import (
    MAX_UPLOAD_SIZE,
    CheckedUpload,
    private_file_response,
    private_storage,
    private_upload_path,
    sanitise_filename,
    validate_upload,
)

ALLOWED = "仅接受 PDF、JPG、PNG 文件"


@pytest.fixture(scope="module")
def pdf_bytes():
    return HTML(string="<p>测试单位有限公司</p>").write_pdf()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 0, 0)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def refused(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    return caught.value


# --- accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "kind", "mime"),
    [
        ("申报书.pdf", None, "pdf", "application/pdf"),
        ("营业执照.png", "PNG", "png", "image/png"),
        ("扫描件.JPG", "JPEG", "jpg", "image/jpeg"),
        ("photo.jpeg", "JPEG", "jpg", "image/jpeg"),
    ],
)
def test_accepts_pdf_png_jpg_by_content(pdf_bytes, name, fmt, kind, mime):
    content = pdf_bytes if fmt is None else image_bytes(fmt)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    checked = validate_upload(upload)
    assert checked == CheckedUpload(kind=kind, mime=mime, extension=kind, name=name, size=len(content))
    assert upload.read(4) == content[:4], "the file is left at its start for saving"


def test_truncated_jpeg_and_pdf_without_eof_are_accepted(pdf_bytes):
    assert validate_upload(SimpleUploadedFile("半截.jpg", image_bytes("JPEG")[:200])).kind == "jpg"
    assert validate_upload(SimpleUploadedFile("无结尾.pdf", pdf_bytes.replace(b"%%EOF", b""))).kind == "pdf"


def test_exactly_20_mb_is_accepted():
    content = b"%PDF-1.7\n" + b"0" * (MAX_UPLOAD_SIZE - 9)
    assert validate_upload(SimpleUploadedFile("大.pdf", content)).size == MAX_UPLOAD_SIZE


# --- refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120, "可执行程序"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 120, "Windows 可执行程序"),
        (b"<html><script>alert(1)</script></html>", "无法识别的格式"),
    ],
)
def test_renamed_executable_named_pdf_is_refused(content, what):
    error = refused(SimpleUploadedFile("申报书.pdf", content, content_type="application/pdf"))
    assert error.code == "file_type"
    assert error.messages == [
        f"文件“申报书.pdf”的扩展名是 .pdf，但内容不是 PDF 文件（识别为：{what}），不能上传：{ALLOWED}。"
    ]


def test_png_named_pdf_is_refused_saying_so():
    error = refused(SimpleUploadedFile("营业执照.pdf", image_bytes("PNG")))
    assert error.code == "file_mismatch"
    assert error.messages == [
        "文件“营业执照.pdf”的扩展名是 .pdf，但内容是 PNG 图片：请将扩展名改为 .png，或另存为 PDF 文件 后重新上传。"
    ]


def test_gif_is_refused_by_extension_and_by_content():
    gif = image_bytes("GIF")
    assert refused(SimpleUploadedFile("动图.gif", gif)).messages == [f"文件“动图.gif”不是允许的格式：{ALLOWED}。"]
    message = refused(SimpleUploadedFile("动图.png", gif)).messages[0]
    assert "内容不是 PNG 图片（识别为：GIF 图片）" in message


def test_exe_extension_is_refused_in_plain_words():
    error = refused(SimpleUploadedFile("申报书.exe", b"MZ" + b"\x00" * 100))
    assert error.messages == ["文件“申报书.exe”不是允许的格式：仅接受 PDF、JPG、PNG 文件。"]


def test_missing_extension_is_refused(pdf_bytes):
    message = refused(SimpleUploadedFile("申报书", pdf_bytes)).messages[0]
    assert message.startswith("文件“申报书”没有扩展名")
    assert ".pdf、.jpg、.jpeg、.png" in message


class Unreadable(io.BytesIO):
    """A file whose content must not be touched."""

    def read(self, *args):
        pytest.fail("validate_upload read a file that its size already disqualifies")

    def chunks(self, *args):
        pytest.fail("validate_upload read a file that its size already disqualifies")


def test_21_mb_is_refused_from_size_before_reading():
    upload = UploadedFile(file=Unreadable(), name="大文件.pdf", content_type="application/pdf",
                          size=21 * 1024 * 1024)
    error = refused(upload)
    assert error.code == "file_too_large"
    assert error.messages == ["文件“大文件.pdf”大小为 21.0 MB，超过 20 MB 的上限，请压缩或拆分后重新上传。"]


def test_one_byte_over_20_mb_is_refused():
    upload = UploadedFile(file=Unreadable(), name="a.pdf", size=MAX_UPLOAD_SIZE + 1)
    assert refused(upload).code == "file_too_large"


def test_empty_file_is_refused():
    error = refused(SimpleUploadedFile("空白.pdf", b""))
    assert error.code == "file_empty"
    assert error.messages == ["文件“空白.pdf”是空文件（0 字节），请检查后重新上传。"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("C:\\Users\\张三\\申报书.pdf", "申报书.pdf"),
    ],
)
def test_path_traversal_names_are_reduced_to_a_plain_name(pdf_bytes, raw, clean):
    # django.core.files.File keeps the name as given (UploadedFile would already take the basename)
    checked = validate_upload(File(io.BytesIO(pdf_bytes), name=raw))
    assert checked.name == clean


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("北京市（朝阳区）申报书 (终稿)-v2_1.pdf", "北京市（朝阳区）申报书 (终稿)-v2_1.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        (".bashrc", "附件.bashrc"),
        (".pdf", "附件.pdf"),
        ("报告.", "报告"),
        ("...隐藏.pdf", "隐藏.pdf"),
        ("passwd..pdf", "passwd.pdf"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("第一\t 页\u3000\n说明.png", "第一 页 说明.png"),
        ("申报书\u202egpj.pdf", "申报书gpj.pdf"),
        ('文件<script>"1".pdf', "文件_script_1.pdf"),
        ("附件1：申报书.pdf", "附件1_申报书.pdf"),
        ("", "附件"),
        (None, "附件"),
        ("../", "附件"),
        ("...", "附件"),
        ("???.pdf", "附件.pdf"),
    ],
)
def test_sanitise_filename(raw, clean):
    assert sanitise_filename(raw) == clean


def test_sanitise_filename_limits_length_keeping_extension():
    name = sanitise_filename("很长的文件名" * 30 + ".pdf")
    assert len(name) == 100
    assert name.endswith("名.pdf")


# --- storage ----------------------------------------------------------------------------


def test_storage_path_has_no_user_name_and_lives_under_private_root(private_root, pdf_bytes):
    upload_to = private_upload_path("applications")
    path = upload_to(None, "../../申报书 (终稿).PDF")
    assert re.fullmatch(r"applications/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", path)
    assert upload_to(None, "申报书.pdf") != path
    stored = private_storage.save(path, ContentFile(pdf_bytes))
    on_disk = Path(private_storage.path(stored)).resolve()
    assert on_disk.is_relative_to(Path(private_root).resolve())
    assert on_disk.read_bytes() == pdf_bytes
    assert "申报书" not in str(on_disk)


@pytest.mark.parametrize(("name", "ext"), [("a.JPEG", "jpg"), ("a", "bin"), ("a.p$f", "bin"), ("a.tar.gz", "gz")])
def test_storage_extension_is_normalised(name, ext):
    assert private_upload_path("x")(None, name).endswith(f".{ext}")


def test_private_storage_has_no_url():
    with pytest.raises(ValueError, match="not accessible via a URL"):
        private_storage.url("applications/2026/01/x.pdf")


def test_storage_and_upload_path_deconstruct_for_migrations():
    assert private_storage.deconstruct() == ("portal.storage.PrivateStorage", (), {})
    assert private_upload_path("rounds").deconstruct() == ("portal.storage.PrivateUploadPath", ("rounds",), {})
    assert private_upload_path("rounds") == private_upload_path("/rounds/")
    with pytest.raises(ValueError):
        private_upload_path("../etc")


# --- downloads --------------------------------------------------------------------------


def body(response) -> bytes:
    """Read a FileResponse and close its file (response.close() would signal request_finished and touch the DB)."""
    try:
        return b"".join(response.streaming_content)
    finally:
        response.file_to_stream.close()


def stored_file(content: bytes, ext: str) -> FieldFile:
    name = private_storage.save(private_upload_path("tests")(None, f"x.{ext}"), ContentFile(content))
    return FieldFile(None, FileField(storage=private_storage), name)


def test_private_file_response_headers(pdf_bytes):
    response = private_file_response(stored_file(pdf_bytes, "pdf"), "申报书（终稿）.pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('申报书（终稿）.pdf', safe='')}" in disposition
    assert 'filename="attachment.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert int(response["Content-Length"]) == len(pdf_bytes)
    assert body(response) == pdf_bytes


def test_private_file_response_inline_and_name_fixes():
    image = image_bytes("PNG")
    response = private_file_response(stored_file(image, "png"), 'scan "1"\r\nSet-Cookie: a=b')
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert 'filename="scan _1_ Set-Cookie_ a_b.png"' in disposition
    body(response)
    response = private_file_response(stored_file(image, "png"), "营业执照.png", inline=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    body(response)


def test_unknown_stored_type_is_never_inline():
    response = private_file_response(stored_file(b"<script>alert(1)</script>", "html"), "页面.html", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    body(response)


def test_missing_file_is_404():
    gone = FieldFile(None, FileField(storage=private_storage), "tests/2026/01/" + "0" * 32 + ".pdf")
    with pytest.raises(Http404):
        private_file_response(gone, "申报书.pdf")
