"""Checking uploaded files and serving stored ones.

Only PDF, JPG and PNG are accepted, recognised by their content (magic bytes),
and the declared extension must agree with it. Files are stored under
PRIVATE_MEDIA_ROOT with random names (see portal.storage) and are served only
through views that check permission first.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from portal.storage import PrivateUploadPath, private_storage, private_upload_path, stored_extension

__all__ = [
    "MAX_UPLOAD_SIZE",
    "CheckedUpload",
    "PrivateUploadPath",
    "private_file_response",
    "private_storage",
    "private_upload_path",
    "sanitise_filename",
    "validate_upload",
]

MAX_UPLOAD_SIZE = 20 * 1024 * 1024
MAX_NAME_LENGTH = 100
FALLBACK_NAME = "附件"
ALLOWED_WORDS = "仅接受 PDF、JPG、PNG 文件"

# canonical kind -> (mime, plain-words label)
KINDS = {
    "pdf": ("application/pdf", "PDF 文件"),
    "jpg": ("image/jpeg", "JPG 图片"),
    "png": ("image/png", "PNG 图片"),
}
# declared extension -> canonical kind
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
# mime detected by `filetype` -> canonical kind (an animated PNG is still a PNG)
DETECTED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/apng": "png"}
# plain words for what a refused file turned out to be
OTHER_LABELS = {
    "exe": "Windows 可执行程序",
    "elf": "可执行程序",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "webp": "WebP 图片",
    "tif": "TIFF 图片",
    "heic": "HEIC 图片",
    "zip": "ZIP 压缩包",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "GZIP 压缩包",
    "doc": "Word 文档",
    "docx": "Word 文档",
    "xls": "Excel 表格",
    "xlsx": "Excel 表格",
    "ppt": "PowerPoint 演示文稿",
    "pptx": "PowerPoint 演示文稿",
}
HEAD_BYTES = 2048

_ALLOWED_CHAR = re.compile(r"[\w\-.()（） \u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SPACES = re.compile(r"\s+")
_REPLACED = re.compile(r"_{2,}")
_DOTS = re.compile(r"\.{2,}")


@dataclass(frozen=True)
class CheckedUpload:
    """What validate_upload found: kind ("pdf"/"jpg"/"png"), mime, canonical extension, safe name, size."""

    kind: str
    mime: str
    extension: str
    name: str
    size: int


def sanitise_filename(name: str) -> str:
    """A display-safe file name: no directories, control characters or leading dots; at most 100 characters."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", str(name or "")))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch if _ALLOWED_CHAR.fullmatch(ch) else "_" for ch in name)
    name = _DOTS.sub(".", _REPLACED.sub("_", name)).strip(" ")
    stem, dot, ext = name.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,10}", ext):
        stem, ext = name, ""
    stem = stem.strip(" ._") or FALLBACK_NAME
    suffix = f".{ext}" if ext else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" ._") + suffix


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _describe(head: bytes) -> str:
    guessed = filetype.guess(head)
    if guessed is None:
        return "无法识别的格式"
    return OTHER_LABELS.get(guessed.extension, f"{guessed.extension.upper()} 格式")


def validate_upload(uploaded_file) -> CheckedUpload:
    """Check an uploaded file's size, extension and content; raise ValidationError (in Chinese) if refused.

    The size is checked from ``.size`` before anything is read. The file is left at position 0.
    """
    name = sanitise_filename(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    if size is None:
        _refuse(f"无法确定文件“{name}”的大小，请重新上传。", "file_size_unknown")
    if size == 0:
        _refuse(f"文件“{name}”是空文件（0 字节），请检查后重新上传。", "file_empty")
    if size > MAX_UPLOAD_SIZE:
        _refuse(f"文件“{name}”大小为 {size / 1024 / 1024:.1f} MB，超过 20 MB 的上限，请压缩或拆分后重新上传。",
                "file_too_large")

    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if not suffix:
        _refuse(f"文件“{name}”没有扩展名，无法确认格式：{ALLOWED_WORDS}（扩展名 .pdf、.jpg、.jpeg、.png）。",
                "file_type")
    if suffix not in EXTENSIONS:
        _refuse(f"文件“{name}”不是允许的格式：{ALLOWED_WORDS}。", "file_type")
    declared = EXTENSIONS[suffix]

    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    guessed = filetype.guess(head)
    detected = DETECTED.get(guessed.mime) if guessed else None
    if detected is None:
        _refuse(f"文件“{name}”的扩展名是 .{suffix}，但内容不是 {KINDS[declared][1]}（识别为：{_describe(head)}），"
                f"不能上传：{ALLOWED_WORDS}。", "file_type")
    if detected != declared:
        _refuse(f"文件“{name}”的扩展名是 .{suffix}，但内容是 {KINDS[detected][1]}：请将扩展名改为 .{detected}，"
                f"或另存为 {KINDS[declared][1]} 后重新上传。", "file_mismatch")
    mime = KINDS[detected][0]
    return CheckedUpload(kind=detected, mime=mime, extension=detected, name=name, size=size)


def _ascii_fallback(name: str, suffix: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r'[^A-Za-z0-9._() -]', "", ascii_name).strip(" .")
    return ascii_name if re.search(r"[A-Za-z0-9]", PurePosixPath(ascii_name).stem) else f"attachment{suffix}"


def private_file_response(field_file, download_name: str, inline: bool = False) -> FileResponse:
    """Serve a stored private file with safe headers.

    The CALLER MUST CHECK PERMISSION before calling this: it serves whatever it is given.
    PDF, JPG and PNG get their own content type (and may be shown inline); anything else is
    sent as application/octet-stream, always as an attachment. Raises Http404 if the file is gone.
    """
    kind = EXTENSIONS.get(stored_extension(field_file.name or ""))
    content_type = KINDS[kind][0] if kind else "application/octet-stream"
    name = sanitise_filename(download_name)
    if kind and not PurePosixPath(name).suffix:
        name = f"{name}.{kind}"
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("文件不存在或已被删除。") from error
    response = FileResponse(handle, content_type=content_type)
    disposition = "inline" if inline and kind else "attachment"
    fallback = _ascii_fallback(name, PurePosixPath(name).suffix)
    response["Content-Disposition"] = f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
