"""Public statistics (统计数据): the announced carriers by type, district, status and year.

Every carrier in the public name list counts (public.registry.public_carriers: all statuses),
with the status split as the list shows it (a title past valid_until reads 已到期 even before
the nightly job). A handful of GROUP BY queries whatever the number of carriers.
"""

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from carriers.lifecycle import IN_FORCE
from carriers.models import Carrier

from .charts import Chart

STATUS_LABELS = dict(Carrier.Status.choices)


def effective_status():
    """The status as the public list reads it (public.registry.effective_status, in SQL)."""
    return Case(When(status__in=IN_FORCE, valid_until__lt=timezone.localdate(), then=Value(Carrier.Status.EXPIRED)),
                default=F("status"), output_field=CharField())


def grouped(queryset, *fields, order=None):
    """(values..., n) rows of one GROUP BY query."""
    rows = queryset.order_by().values(*fields).annotate(n=Count("pk"))
    return list(rows.order_by(*(order or fields)))


def public_statistics(carriers=None) -> dict:
    carriers = Carrier.objects.all() if carriers is None else carriers
    carriers = carriers.annotate(shown_status=effective_status())
    by_type = grouped(carriers, "carrier_type__short_name", "carrier_type__city", "carrier_type__sort_order",
                      order=["carrier_type__sort_order"])
    by_district = grouped(carriers, "district__city", "district__name", "district__sort_order",
                          order=["district__city", "district__sort_order", "district__name"])
    by_status = {row["shown_status"]: row["n"] for row in grouped(carriers, "shown_status")}
    by_year = grouped(carriers.annotate(year=ExtractYear("valid_from")), "year")
    type_status = grouped(carriers, "carrier_type__short_name", "carrier_type__sort_order", "shown_status",
                          order=["carrier_type__sort_order"])
    matrix = {}
    for row in type_status:
        matrix.setdefault(row["carrier_type__short_name"], {})[row["shown_status"]] = row["n"]
    statuses = list(Carrier.Status.values)
    return {
        "total": sum(by_status.values()),
        "type_chart": Chart("按载体类型统计的认定载体数", [(r["carrier_type__short_name"], r["n"]) for r in by_type],
                            label_heading="载体类型", value_heading="载体数"),
        "district_chart": Chart("按所属区统计的认定载体数",
                                [(f"{_city(r['district__city'])}{r['district__name']}", r["n"]) for r in by_district],
                                label_heading="所属区", value_heading="载体数"),
        "status_chart": Chart("按状态统计的认定载体数",
                              [(STATUS_LABELS[s], by_status[s]) for s in statuses if s in by_status],
                              label_heading="状态", value_heading="载体数"),
        "year_chart": Chart("按认定年度（有效期起始年）统计的载体数", [(f"{r['year']}年", r["n"]) for r in by_year],
                            label_heading="年度", value_heading="载体数"),
        "status_headings": [STATUS_LABELS[s] for s in statuses],
        "type_status_rows": [(name, [cells.get(s, 0) for s in statuses], sum(cells.values()))
                             for name, cells in matrix.items()],
    }


def _city(code: str) -> str:
    return {"beijing": "北京·", "guangzhou": "广州·"}.get(code, "")
