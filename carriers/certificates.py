"""Carrier numbers, validity and the certificate (BJ, 证书) or plaque (GZ, 牌匾) PDF.

Number scheme (证书编号), one per carrier, never reused::

    <PREFIX>-<YEAR>-<SEQ>      e.g.  BJZJTX-2026-0001,  GZFWZ-2026-0012

PREFIX names the type (``PREFIXES``), YEAR is the year the title takes effect (the
announcement date, or the commission date for the GZ hub), SEQ a four-digit counter per
type and year starting at 0001. Plain ASCII so it is safe in URLs and QR codes
(``/verify/<number>/``), and zero-padded so that numbers sort in issue order.

The PDF is rendered from ``pdf/certificate.html`` and stored in ``Carrier.document``;
``generate`` is idempotent (a carrier that has one keeps it unless ``force``).
"""

import datetime
import logging
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.pdf import qr_code_data_uri, render_pdf

from .models import Carrier, CarrierType

logger = logging.getLogger(__name__)

PREFIXES = {
    "bj_srdi_station": "BJZJTX",
    "bj_demo_platform": "BJSFPT",
    "bj_demo_base": "BJSFJD",
    "gz_service_station": "GZFWZ",
    "gz_hub_station": "GZFWZZ",
}
NUMBER_PATTERN = re.compile(r"^[A-Z]{2,12}-\d{4}-\d{4,6}$")
OPEN_ENDED_TEXT = "长期有效，以年度绩效评价结果为准"
HUB_OPEN_ENDED_TEXT = "以市工业和信息化局委托文件为准"


def prefix_for(carrier_type: CarrierType) -> str:
    """The type's number prefix; a future type without one gets its code in capitals."""
    return PREFIXES.get(carrier_type.code) or re.sub(r"[^A-Z0-9]", "", carrier_type.code.upper())[:12]


def next_numbers(carrier_type: CarrierType, year: int, count: int = 1) -> list[str]:
    """``count`` fresh numbers for the type and year. Call inside the transaction that saves them.

    The carrier type row is locked (select_for_update) so that two publications of the
    same type number one after the other; the unique constraint on ``number`` is the backstop.
    """
    CarrierType.objects.select_for_update().filter(pk=carrier_type.pk).first()
    stem = f"{prefix_for(carrier_type)}-{year}-"
    used = Carrier.objects.filter(number__startswith=stem).values_list("number", flat=True)
    highest = max((int(n[len(stem):]) for n in used if n[len(stem):].isdigit()), default=0)
    return [f"{stem}{highest + i:04d}" for i in range(1, count + 1)]


def validity_end(carrier_type: CarrierType, valid_from: datetime.date) -> datetime.date | None:
    """Last day of validity: ``validity_years`` later, minus one day; None when open-ended."""
    if not carrier_type.validity_years:
        return None
    return valid_from + relativedelta(years=carrier_type.validity_years) - datetime.timedelta(days=1)


def verification_url(number: str) -> str:
    return f"{settings.SITE_URL}/verify/{number}/"


def announcement_of(carrier: Carrier):
    """The latest announcement of the carrier (its designation, or a passed 复核); None for the GZ hub."""
    entry = (carrier.announcement_entries.select_related("announcement")
             .order_by("-announcement__published_on", "-pk").first())
    return entry.announcement if entry is not None else None


def certificate_context(carrier: Carrier) -> dict:
    carrier_type = carrier.carrier_type
    announcement = announcement_of(carrier)
    is_hub = carrier_type.code == "gz_hub_station"
    url = verification_url(carrier.number)
    return {
        "carrier": carrier,
        "carrier_type": carrier_type,
        "organisation_name": carrier.organisation.name,
        "is_plaque": carrier_type.document_kind == CarrierType.Document.PLAQUE,
        "is_hub": is_hub,
        "announcement": announcement,
        "issuer": carrier_type.issuing_bureau,
        "issued_on": announcement.published_on if announcement else carrier.valid_from,
        "open_ended_text": HUB_OPEN_ENDED_TEXT if is_hub else OPEN_ENDED_TEXT,
        "verify_url": url,
        "qr": qr_code_data_uri(url),
    }


def render_certificate(carrier: Carrier) -> bytes:
    return render_pdf("pdf/certificate.html", certificate_context(carrier))


def _load(carrier_id: int) -> Carrier | None:
    return Carrier.objects.select_related("carrier_type", "organisation", "district").filter(pk=carrier_id).first()


def generate(carrier_id: int, *, force: bool = False) -> bool:
    """Render and store the carrier's certificate or plaque; False if it already had one (or is gone)."""
    carrier = _load(carrier_id)
    if carrier is None or (carrier.document and not force):
        return False
    pdf = render_certificate(carrier)
    with transaction.atomic():
        locked = Carrier.objects.select_for_update().filter(pk=carrier_id).first()
        if locked is None or (locked.document and not force):
            return False  # generated meanwhile by another worker
        old = locked.document.name if locked.document else ""
        locked.document.save(f"{locked.number}.pdf", ContentFile(pdf), save=False)
        locked.document_generated_at = timezone.now()
        locked.save(update_fields=["document", "document_generated_at"])
    if old:
        transaction.on_commit(lambda: locked.document.storage.delete(old))
    logger.info("已生成载体 %s（%s）的%s。", locked.number, locked.pk, locked.carrier_type.get_document_kind_display())
    return True


def queue_generation(carrier_ids) -> None:
    """After the current transaction commits, ask Celery to render each certificate.

    A broker failure is logged, not raised: the download view renders a missing certificate on demand.
    """
    ids = list(carrier_ids)

    def send():
        from .tasks import generate_certificate

        for pk in ids:
            try:
                generate_certificate.delay(pk)
            except Exception:  # noqa: BLE001 - the broker is optional here, see docstring
                logger.exception("无法将载体 %s 的证书生成任务加入队列，将在下载时生成。", pk)

    transaction.on_commit(send)
