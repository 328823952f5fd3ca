"""Who is told about a transition, and what: the party each step concerns."""

from django.urls import reverse

from accounts.models import Role, User
from portal.notifications import notify


def _unit_members(app):
    return User.objects.filter(organisation_id=app.organisation_id, is_active=True)


def _district_officers(app):
    return User.objects.filter(role=Role.DISTRICT_OFFICER, district_id=app.district_id, is_active=True)


MESSAGES = {
    # action: (recipients, title)
    "submit": (_district_officers, "新申报待初审：{app.applicant_name}（{app.carrier_type.name}）"),
    "return_for_revision": (_unit_members, "申报被退回修改：{app.number}"),
    "reject": (_unit_members, "申报未通过：{app.number}"),
    "shortlist": (_unit_members, "申报已列入拟认定名单：{app.number}"),
    "publish_notice": (_unit_members, "申报已进入公示：{app.number}"),
    "uphold_objection": (_unit_members, "公示期异议成立，申报未通过：{app.number}"),
    "announce": (_unit_members, "已正式认定：{app.carrier_type.name}（{app.number}）"),
}


def notify_transition(app, event) -> None:
    """Notify the party the event concerns (nothing for steps that concern no one else)."""
    if event.action not in MESSAGES:
        return
    recipients, title = MESSAGES[event.action]
    body = f"{app.applicant_name}的{app.carrier_type.name}申报（{app.number}）：{event.get_to_state_display()}。"
    if event.comment:
        body += f"\n意见：{event.comment}"
    notify(recipients(app), title.format(app=app), body, reverse("applications:detail", args=[app.pk]))
