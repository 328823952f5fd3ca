"""The navigation bar, by role. Later features add their entries here."""

from django.urls import reverse

from .models import Role

PUBLIC = [("首页", "home"), ("申报通知", "applications:rounds"), ("申报条件自测", "carriers:eligibility_index")]
BY_ROLE = {
    Role.APPLICANT: [("工作台", "accounts:landing"), ("我的申报", "applications:mine"),
                     ("本单位", "accounts:organisation")],
    Role.DISTRICT_OFFICER: [("工作台", "accounts:landing"), ("待审申报", "reviews:district_queue")],
    Role.CITY_REVIEWER: [("工作台", "accounts:landing"), ("市级审核", "reviews:city_queue"),
                         ("申报批次管理", "applications:manage_rounds")],
    Role.HUB_COORDINATOR: [("工作台", "accounts:landing"), ("专家评审组织", "reviews:hub_queue")],
    Role.EXPERT: [("工作台", "accounts:landing"), ("我的评审任务", "reviews:expert_queue")],
    Role.ADMIN: [("工作台", "accounts:landing"), ("申报批次管理", "applications:manage_rounds"),
                 ("系统管理", "admin:index")],
}


def nav_items(user):
    items = list(PUBLIC)
    if user.is_authenticated:
        role = Role.ADMIN if user.is_superuser else user.role
        items += BY_ROLE[role]
    return [(label, reverse(name)) for label, name in items]


def navigation(request):
    """Context processor: nav items and the reader's display preferences."""
    user = request.user
    return {
        "nav_items": nav_items(user),
        "display_prefs": {
            "font": request.COOKIES.get("font_scale", "normal"),
            "elder": request.COOKIES.get("elder_mode") == "1",
        },
    }
