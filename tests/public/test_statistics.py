"""统计数据: public statistics of the announced carriers, each figure against a count made here."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.models import Carrier
from public.charts import bar_chart
from public.statistics import public_statistics
from tests import factories

pytestmark = pytest.mark.django_db

TYPES = ("bj_srdi_station", "bj_demo_platform", "bj_demo_base", "gz_service_station")
DISTRICTS = {"beijing": ("110108", "110105"), "guangzhou": ("440106", "440103")}


def seed(n, offset=0):
    today = timezone.localdate()
    for i in range(n):
        code = TYPES[i % 4]
        district = DISTRICTS["guangzhou" if code.startswith("gz") else "beijing"][i % 2]
        status = ("active", "revoked", "active", "withdrawn", "expired")[i % 5]
        factories.CarrierFactory(type_code=code, organisation=factories.OrganisationFactory(district_code=district),
                                 status=status, number=f"STAT-{offset + i}",
                                 valid_from=datetime.date(2023 + i % 3, 3, 1),
                                 valid_until=None if i % 7 == 6 else today + datetime.timedelta(days=30))
    # In force on paper but past valid_until: the public list shows it expired.
    factories.CarrierFactory(number=f"STAT-LAPSED-{offset}", valid_from=datetime.date(2022, 1, 1),
                             valid_until=today - datetime.timedelta(days=1))


def test_figures_match_independent_counts():
    seed(20)
    today = timezone.localdate()
    stats = public_statistics()
    carriers = list(Carrier.objects.select_related("carrier_type", "district"))
    assert stats["total"] == len(carriers)
    assert dict(stats["type_chart"].rows) == Counter(c.carrier_type.short_name for c in carriers)
    city = {"beijing": "北京·", "guangzhou": "广州·"}
    assert dict(stats["district_chart"].rows) == Counter(city[c.district.city] + c.district.name for c in carriers)
    assert dict(stats["year_chart"].rows) == Counter(f"{c.valid_from.year}年" for c in carriers)

    def shown(c):
        if c.status in ("active", "rectifying") and c.valid_until and c.valid_until < today:
            return "已到期"
        return c.get_status_display()

    assert dict(stats["status_chart"].rows) == Counter(shown(c) for c in carriers)
    station = next(row for row in stats["type_status_rows"] if row[0] == "专精特新服务站")
    assert station[2] == sum(1 for c in carriers if c.carrier_type.code == "bj_srdi_station")


def test_page_has_labelled_svg_and_tables(client):
    seed(8)
    body = client.get(reverse("statistics")).content.decode()
    assert body.count('role="img"') == 4
    assert "<title" in body and "专精特新服务站" in body and "北京·海淀区" in body and "2024年" in body
    assert body.count("<table") >= 5


def test_fixed_number_of_queries(client):
    counts = []
    for n, offset in ((5, 0), (30, 100)):
        seed(n, offset)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("statistics")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_svg_escapes_and_labels():
    svg = str(bar_chart("测试<图>", [("甲<b>", 3), ("乙", 0)]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "测试&lt;图&gt;" in svg and "甲&lt;b&gt;" in svg and ">3<" in svg and ">0<" in svg
    assert "暂无数据" in str(bar_chart("空", []))
