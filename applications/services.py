"""Starting a declaration and saving its parts; state changes go through workflow.transition."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from .guards import filing_problems, holding_carrier, re_review_of
from .models import Application, Attachment


class FilingRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def start_application(organisation, round_, user) -> Application:
    """Create a draft for ``round_``, prefilled from the organisation; refuse with reasons."""
    problems = filing_problems(organisation, round_, timezone.localdate())
    if problems:
        raise FilingRefused(problems)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                organisation=organisation, carrier_type=round_.carrier_type, round=round_,
                district=organisation.district, applicant_name=organisation.name, uscc=organisation.uscc,
                legal_representative=organisation.legal_representative, address=organisation.address,
                contact_name=organisation.contact_name, contact_phone=organisation.contact_phone,
                contact_email=organisation.contact_email, created_by=user,
                renews_carrier=re_review_of(holding_carrier(organisation, round_.carrier_type), round_),
            )
            application.number = f"SB{round_.year}{application.pk:06d}"
            application.save(update_fields=["number"])
    except IntegrityError as error:  # a second click or a second staff member at the same moment
        raise FilingRefused(["贵单位在本批次已有一份该类型的申报，不能重复申报。"]) from error
    return application


def add_attachment(application, slot: str, upload, checked, user) -> Attachment:
    """Store a checked file in its slot; the file it replaces stays as history."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.name = checked.name  # sanitised; the stored path is a random name with the checked extension
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        Attachment.objects.filter(application=application, slot=slot, superseded_at__isnull=True).update(
            superseded_at=timezone.now())
        return Attachment.objects.create(
            application=application, slot=slot, file=upload, original_name=checked.name, kind=checked.kind,
            size=checked.size, sha256=digest.hexdigest(), uploaded_by=user,
        )


# The round management list's export (portal.exports): the columns on screen.
ROUND_EXPORT_COLUMNS = [
    ("年度", "year"),
    ("通知", "title"),
    ("文号", "document_number"),
    ("载体类型", "carrier_type.name"),
    ("申报开始日期", "opens_on"),
    ("申报截止日期", "closes_on"),
    ("区级推荐截止", "district_deadline"),
    ("状态", "status_label"),
    ("已提交申报", "application_count"),
]
