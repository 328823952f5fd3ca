"""The one entry point for state changes: lock, check, change, record, notify.

Transitions are declared on ``Application`` (django-fsm-2: source, target,
permission, conditions). Views and tasks call :func:`transition` and never
change ``state`` themselves. ``actor=None`` is the scheduled system job.
"""

from django.db import transaction
from django_fsm import can_proceed

from .models import Application, ApplicationEvent, ApplicationState
from .notifications import notify_transition

ACTION_LABELS = {
    "submit": "提交申报",
    "return_for_revision": "退回修改",
    "reject": "不予通过",
    "recommend": "推荐",
    "send_to_experts": "组织专家评审",
    "complete_expert_review": "汇总专家评审意见",
    "shortlist": "拟认定",
    "publish_notice": "公示",
    "close_notice": "公示期满",
    "uphold_objection": "异议成立",
    "announce": "公告",
    "withdraw": "撤回申报",
}
REASON_REQUIRED = {"return_for_revision", "reject", "uphold_objection", "withdraw"}
SYSTEM_ACTIONS = {"close_notice"}


class TransitionRefused(Exception):
    """A transition that is not allowed now or for this user; nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def transition(application_pk: int, action: str, actor, comment: str = "", *, expected_version=None,
               precheck=None) -> Application:
    """Fire ``action`` on the application as ``actor`` inside one transaction.

    ``expected_version`` (the version the actor saw) refuses the change if
    someone else changed the application meanwhile. ``precheck(app)`` may
    return problems (Chinese strings) that refuse the transition.
    """
    if action not in ACTION_LABELS:
        raise TransitionRefused(f"不存在的操作：{action}。")
    label = ACTION_LABELS[action]
    comment = (comment or "").strip()
    if action in REASON_REQUIRED and not comment:
        raise TransitionRefused(f"“{label}”须填写理由。")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "carrier_type", "organisation", "district")
            .filter(pk=application_pk)
            .first()
        )
        if app is None:
            raise TransitionRefused("未找到该申报。")
        if expected_version is not None and str(app.version) != str(expected_version):
            raise TransitionRefused("该申报已被他人处理或更新，请刷新页面查看最新状态后再操作。")
        method = getattr(app, action)
        meta = method._django_fsm
        if not can_proceed(method, check_conditions=False):
            raise TransitionRefused(f"该申报当前状态为“{app.get_state_display()}”，不能执行“{label}”。")
        if (actor is None) != (action in SYSTEM_ACTIONS) or not meta.has_transition_perm(app, app.state, actor):
            raise TransitionRefused(f"您无权对该申报执行“{label}”。")
        if not can_proceed(method):
            raise TransitionRefused(f"当前不满足“{label}”的条件（如已过截止日期或尚未完成前一环节），操作未执行。")
        if precheck:
            problems = precheck(app)
            if problems:
                raise TransitionRefused("；".join(problems))
        from_state = app.state
        method()
        app.version += 1
        app.save()
        event = ApplicationEvent.objects.create(
            application=app, action=action, from_state=from_state, to_state=app.state, actor=actor,
            actor_role="system" if actor is None else actor.role, comment=comment,
        )
        if app.renews_carrier_id and app.state == ApplicationState.REJECTED:
            fail_re_review(app, actor)
        notify_transition(app, event)
    return app


def fail_re_review(app, actor) -> None:
    """复核未通过 (GZ 四（三）5): a rejected re-review revokes the station it re-reviewed."""
    from django.utils import timezone

    from carriers import lifecycle

    if app.renews_carrier.status in lifecycle.IN_FORCE:
        lifecycle.revoke(app.renews_carrier_id, "no_re_review", actor, timezone.localdate(),
                         f"复核申报 {app.number} 未通过")
