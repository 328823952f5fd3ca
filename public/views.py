"""The public site (no login): read-only pages over every app.

Pages: home; the carrier name list, a page per carrier and certificate verification; the
announcements (公告) and their final lists; open data (CSV/XLSX/JSON); the Atom feed (public.feeds).
"""

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from applications.models import Round
from carriers.certificates import OPEN_ENDED_TEXT, announcement_of
from carriers.changes import public_change_log
from carriers.hub import current_hub
from carriers.models import Carrier
from reviews.models import Announcement, PublicNotice

from . import opendata, registry


def home(request):
    today = timezone.localdate()
    rounds = Round.objects.open_now().select_related("carrier_type").order_by("closes_on")
    notices = [(n, registry.notice_url(n.pk)) for n in
               PublicNotice.objects.filter(ends_on__gte=today).order_by("ends_on", "-pk")[:5]]
    announcements = Announcement.objects.select_related("round__carrier_type").order_by("-published_on", "-pk")[:5]
    return render(request, "public/home.html", {
        "open_rounds": rounds, "notices": notices, "announcements": announcements, "hub": current_hub(),
    })


@require_GET
def carrier_list(request):
    form = registry.CarrierFilterForm(request.GET)
    values = form.usable()
    page = Paginator(registry.filtered(values), registry.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(c, registry.STATUS_LABELS[registry.effective_status(c, today)]) for c in page]
    return render(request, "public/carrier_list.html", {
        "form": form, "page": page, "rows": rows, "filtered": bool(values),
    })


@require_GET
def carrier_detail(request, number):
    carrier = registry.find_carrier(number)
    if carrier is None:
        raise Http404("未找到该编号的服务载体。")
    status = registry.effective_status(carrier)
    return render(request, "public/carrier_detail.html", {
        "carrier": carrier, "status": status, "status_label": registry.STATUS_LABELS[status],
        "announcement": announcement_of(carrier), "open_ended_text": OPEN_ENDED_TEXT,
        "change_log": public_change_log(carrier),
    })


VERDICTS = {
    Carrier.Status.ACTIVE: ("valid", "有效"),
    Carrier.Status.RECTIFYING: ("valid", "有效（整改中）"),
    Carrier.Status.EXPIRED: ("expired", "已过期"),
    Carrier.Status.REVOKED: ("revoked", "已撤销"),
    Carrier.Status.WITHDRAWN: ("withdrawn", "已退出（不再有效）"),
}


@require_GET
def verify_form(request):
    """The verification entry page: type a number, or arrive here from a printed QR code."""
    raw = request.GET.get("number")
    if raw is not None:
        number = registry.clean_number(raw)
        if number:
            return redirect("verify", number=number)
    return render(request, "public/verify.html", {"searched": raw is not None, "raw": (raw or "")[:60]})


@require_GET
def verify(request, number):
    """Certificate verification. Unknown or malformed numbers get a 200 page saying 未找到."""
    carrier = registry.find_carrier(number)
    if carrier is None:
        return render(request, "public/verify.html", {
            "searched": True, "verdict": ("not_found", "未找到"), "raw": number[:60],
        })
    status = registry.effective_status(carrier)
    return render(request, "public/verify.html", {
        "searched": True, "carrier": carrier, "verdict": VERDICTS[status], "raw": carrier.number,
        "open_ended_text": OPEN_ENDED_TEXT,
    })


@require_GET
def announcement_list(request):
    rows = Announcement.objects.select_related("round__carrier_type").order_by("-published_on", "-pk")
    city = request.GET.get("city")
    if city in ("beijing", "guangzhou"):
        rows = rows.filter(round__carrier_type__city=city)
    page = Paginator(rows, registry.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/announcement_list.html", {
        "page": page, "city": city if city in ("beijing", "guangzhou") else "",
        "notices_url": registry.notices_url(),
    })


@require_GET
def announcement_detail(request, pk):
    announcement = Announcement.objects.select_related("round__carrier_type").filter(pk=pk).first()
    if announcement is None:
        raise Http404("未找到该公告。")
    entries = announcement.entries.select_related("application", "carrier__district").order_by("seq")
    return render(request, "public/announcement_detail.html", {
        "announcement": announcement, "entries": entries, "open_ended_text": OPEN_ENDED_TEXT,
    })


@require_GET
def open_data(request):
    return render(request, "public/open_data.html", {"fields": opendata.FIELDS})


def _download(content: bytes, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def open_data_csv(request):
    return _download(opendata.as_csv(), "text/csv; charset=utf-8", "carriers.csv")


@require_GET
def open_data_xlsx(request):
    return _download(opendata.as_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "carriers.xlsx")


@require_GET
def open_data_json(request):
    return _download(opendata.as_json(), "application/json; charset=utf-8", "carriers.json", inline=True)
