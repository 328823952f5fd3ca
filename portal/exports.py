"""Exports of the officials' lists: XLSX (Chinese headers) and CSV (UTF-8 with BOM, so that Excel opens it).

A list view passes its own filtered, visibility-scoped queryset (the rows on screen, without pagination) and a
column spec kept next to the list's service code::

    COLUMNS = [("申报单位", "organisation.name"), ("状态", lambda a: a.get_state_display())]

    if (response := maybe_export(request, rows, COLUMNS, "区级审核队列")) is not None:
        return response

The export lives on the list's own URL: ``?format=xlsx`` or ``?format=csv``; any other ``format`` is a 400.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

EXPORT_LIMIT = 10_000
FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_FORMAT = "导出格式无效：只支持 format=xlsx（Excel）或 format=csv。"
CAPPED_NOTE = "注：仅导出前 {limit} 行，请缩小筛选范围后再导出其余记录。"

Accessor = str | Callable[[object], object]
Columns = Sequence[tuple[str, Accessor]]


def _value(row, accessor: Accessor):
    if callable(accessor):
        return accessor(row)
    value = row
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def _cell(value):
    """A plain cell value: dates stay dates in XLSX; booleans read 是/否; None is blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (int, float, datetime.date)):
        return value
    return str(value)


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def table(rows: Iterable, columns: Columns, limit: int = EXPORT_LIMIT) -> tuple[list[str], list[list], bool]:
    """(headers, body rows, capped) with at most ``limit`` rows."""
    headers = [header for header, _accessor in columns]
    body = []
    capped = False
    for index, row in enumerate(rows[:limit + 1] if hasattr(rows, "query") else rows):
        if index >= limit:
            capped = True
            break
        body.append([_cell(_value(row, accessor)) for _header, accessor in columns])
    return headers, body, capped


def _width(value) -> int:
    text = _text(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters are twice as wide


def xlsx_bytes(headers, body, capped: bool, title: str, limit: int = EXPORT_LIMIT) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title.translate({ord(c): " " for c in "[]:*?/\\"}).strip() or "导出")[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for line in body:
        sheet.append(line)
    if capped:
        sheet.append([CAPPED_NOTE.format(limit=limit)])
    for index, header in enumerate(headers, start=1):
        widest = max([_width(header)] + [_width(line[index - 1]) for line in body[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 60)
        for line_index, line in enumerate(body, start=2):
            if isinstance(line[index - 1], datetime.datetime):
                sheet.cell(row=line_index, column=index).number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(line[index - 1], datetime.date):
                sheet.cell(row=line_index, column=index).number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(headers, body, capped: bool, limit: int = EXPORT_LIMIT) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for line in body:
        writer.writerow([_text(value) for value in line])
    if capped:
        writer.writerow([CAPPED_NOTE.format(limit=limit)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def content_disposition(filename: str) -> str:
    """RFC 6266 / RFC 5987: an ASCII fallback plus the UTF-8 name."""
    stem, dot, ext = filename.rpartition(".")
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "" for ch in stem) or "export"
    return f"attachment; filename=\"{fallback}{dot}{ext}\"; filename*=UTF-8''{quote(filename)}"


def export_response(rows: Iterable, columns: Columns, filename_stem: str, fmt: str,
                    limit: int = EXPORT_LIMIT) -> HttpResponse:
    """The rows as an XLSX or CSV download named ``<stem>-<YYYYMMDD>.<fmt>``."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    headers, body, capped = table(rows, columns, limit)
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(headers, body, capped, filename_stem, limit), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(headers, body, capped, limit), content_type="text/csv; charset=utf-8")
    today = timezone.localdate()
    response["Content-Disposition"] = content_disposition(f"{filename_stem}-{today:%Y%m%d}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response


def maybe_export(request, rows, columns: Columns, filename_stem: str) -> HttpResponse | None:
    """The export when the request asks for one (``?format=xlsx|csv``), a 400 for another format, else None."""
    fmt = request.GET.get("format")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(BAD_FORMAT, content_type="text/plain; charset=utf-8")
    return export_response(rows, columns, filename_stem, fmt)
