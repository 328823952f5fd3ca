"""Campaigns, self-assessments and complete self-assessment data per type."""

import datetime

from django.utils import timezone

from evaluations.models import EvaluationCampaign, SelfAssessment
from tests import factories

STATION_DATA = {
    "firms_served": "40", "exchange_listings": "1", "neeq_listings": "2", "srdi_board_listings": "3",
    "tier_upgrades": "5", "services_delivered": "120", "activities_held": "12", "difficulties_collected": "18",
    "difficulties_summary": "融资难、用工难，已报区中小企业主管部门。", "summary": "全年服务企业四十家。",
}
PLATFORM_DATA = {
    "firms_served": "300", "satisfaction_rate": "0.95", "sme_revenue_share": "0.6", "activities_held": "20",
    "staff": "12", "summary": "全年开展服务活动二十场。",
}
GZ_DATA = {
    "work_done": "完成年度工作计划。", "firms_served": "80", "promotion_sessions": "3", "theme_month_activities": "4",
    "next_year_plan": "继续开展主题月活动。",
}
DATA = {"bj_srdi_station": STATION_DATA, "bj_demo_platform": PLATFORM_DATA, "bj_demo_base": PLATFORM_DATA,
        "gz_service_station": GZ_DATA}
CITY = {"bj_srdi_station": "beijing", "bj_demo_platform": "beijing", "bj_demo_base": "beijing",
        "gz_service_station": "guangzhou"}


def today():
    return timezone.localdate()


def campaign(type_code="bj_srdi_station", year=None, deadline=None, **kwargs):
    existing = EvaluationCampaign.objects.filter(carrier_type__code=type_code, year=year or today().year).first()
    if existing:
        return existing
    return EvaluationCampaign.objects.create(
        carrier_type=factories.carrier_type(type_code), year=year or today().year,
        self_assessment_deadline=deadline or today() + datetime.timedelta(days=10),
        created_by=factories.CityReviewerFactory(city=CITY[type_code]), **kwargs)


def org_for(type_code):
    return factories.OrganisationFactory(district_code="440106" if CITY[type_code] == "guangzhou" else "110108")


def submitted(type_code="bj_srdi_station", carrier=None, the_campaign=None, data=None):
    """A submitted self-assessment (campaign deadline in ten days)."""
    the_campaign = the_campaign or campaign(type_code)
    carrier = carrier or factories.CarrierFactory(type_code=type_code, organisation=org_for(type_code))
    return SelfAssessment.objects.create(
        campaign=the_campaign, carrier=carrier, data=data or {"summary": "已提交"}, submitted_at=timezone.now())
