"""The navigation bar, by role. Later features add their entries here.

Labels are marked with gettext_noop so makemessages extracts them; nav.html
translates them at render time (`{% translate label %}`).
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from .models import Role

PUBLIC = [(gettext_noop("首页"), "home"), (gettext_noop("申报通知"), "applications:rounds"),
          (gettext_noop("申报条件自测"), "carriers:eligibility_index"),
          (gettext_noop("认定名单"), "carrier_list"), (gettext_noop("公告公示"), "announcement_list"),
          (gettext_noop("统计数据"), "statistics")]
BY_ROLE = {
    Role.APPLICANT: [(gettext_noop("工作台"), "accounts:landing"), (gettext_noop("我的申报"), "applications:mine"),
                     (gettext_noop("本单位"), "accounts:organisation"),
                     (gettext_noop("年度评价"), "evaluations:mine"),
                     (gettext_noop("报告与变更"), "carriers:duties")],
    Role.DISTRICT_OFFICER: [(gettext_noop("工作台"), "accounts:landing"),
                            (gettext_noop("待审申报"), "reviews:district_queue"),
                            (gettext_noop("评价跟踪"), "evaluations:district_list"),
                            (gettext_noop("报告与变更"), "carriers:duties"),
                            (gettext_noop("统计分析"), "reviews:district_dashboard")],
    Role.CITY_REVIEWER: [(gettext_noop("工作台"), "accounts:landing"), (gettext_noop("市级审核"), "reviews:city_queue"),
                         (gettext_noop("公示管理"), "reviews:city_notices"),
                         (gettext_noop("认定公告"), "reviews:announcement_list"),
                         (gettext_noop("申报批次管理"), "applications:manage_rounds"),
                         (gettext_noop("绩效评价"), "evaluations:city_campaigns"),
                         (gettext_noop("载体管理"), "carriers:city_carriers"),
                         (gettext_noop("报告与变更"), "carriers:duties"),
                         (gettext_noop("统计分析"), "reviews:city_dashboard")],
    Role.HUB_COORDINATOR: [(gettext_noop("工作台"), "accounts:landing"),
                           (gettext_noop("专家评审组织"), "reviews:hub_queue")],
    Role.EXPERT: [(gettext_noop("工作台"), "accounts:landing"), (gettext_noop("我的评审任务"), "reviews:expert_queue")],
    Role.ADMIN: [(gettext_noop("工作台"), "accounts:landing"),
                 (gettext_noop("申报批次管理"), "applications:manage_rounds"),
                 (gettext_noop("系统管理"), "admin:index")],
}


def work_nav_items(user):
    """The signed-in person's work entries (a row of their own, under the public ones)."""
    if not user.is_authenticated:
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    return [(label, reverse(name)) for label, name in BY_ROLE[role]]


def navigation(request):
    """Context processor: nav items and the reader's display preferences."""
    user = request.user
    return {
        "nav_items": [(label, reverse(name)) for label, name in PUBLIC],
        "work_nav_items": work_nav_items(user),
        "display_prefs": {
            "font": request.COOKIES.get("font_scale", "normal"),
            "elder": request.COOKIES.get("elder_mode") == "1",
        },
    }
