"""Open data of the carrier register: CSV, XLSX and JSON at stable URLs.

Public facts only: number, name, type, district, operating unit, status and dates. No contact
person, phone, e-mail, legal representative, address or credit code. JSON keys are stable
English names (FIELDS); CSV and XLSX carry the Chinese headers in the same order.
"""

import csv
import io
import json

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .registry import STATUS_LABELS, effective_status, public_carriers

FIELDS = [
    ("number", "证书编号"),
    ("name", "载体名称"),
    ("type_code", "类型代码"),
    ("type_name", "载体类型"),
    ("district_code", "区划代码"),
    ("district_name", "所属区"),
    ("operator", "运营单位"),
    ("status", "状态"),
    ("valid_from", "有效期起"),
    ("valid_until", "有效期至"),
    ("revoked_on", "撤销日期"),
]


def records() -> list[dict]:
    today = timezone.localdate()
    rows = public_carriers().order_by("number")
    return [{
        "number": c.number,
        "name": c.name,
        "type_code": c.carrier_type.code,
        "type_name": c.carrier_type.name,
        "district_code": c.district.code,
        "district_name": f"{c.district.get_city_display()}{c.district.name}",
        "operator": c.organisation.name,
        "status": effective_status(c, today),
        "valid_from": c.valid_from.isoformat(),
        "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        "revoked_on": c.revoked_on.isoformat() if c.revoked_on else None,
    } for c in rows]


def _display_rows(data):
    for record in data:
        yield [STATUS_LABELS.get(record[key], record[key]) if key == "status" else (record[key] or "")
               for key, _ in FIELDS]


def as_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in FIELDS])
    writer.writerows(_display_rows(records()))
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens it as UTF-8


def as_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "服务载体名单"
    sheet.append([label for _, label in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _display_rows(records()):
        sheet.append(row)
    widths = [20, 36, 20, 32, 12, 20, 36, 10, 12, 12, 12]
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_json() -> bytes:
    data = records()
    document = {
        "dataset": "sme-service-carriers",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "count": len(data),
        "fields": [key for key, _ in FIELDS],
        "status_codes": dict(STATUS_LABELS),
        "carriers": data,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
