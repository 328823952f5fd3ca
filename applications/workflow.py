"""The one entry point for state changes: lock, check, change, record, notify.

Transitions are declared on ``Application`` (django-fsm-2: source, target,
permission, conditions). Views and tasks call :func:`transition` and never
change ``state`` themselves.
"""

from django.db import transaction
from django_fsm import can_proceed, has_transition_perm

from .models import Application, ApplicationEvent

ACTION_LABELS = {
    "submit": "提交申报",
    "withdraw": "撤回申报",
}


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
    label = ACTION_LABELS.get(action, action)
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("round", "carrier_type", "organisation")
            .get(pk=application_pk)
        )
        if expected_version is not None and app.version != expected_version:
            raise TransitionRefused("该申报已被他人更新，请刷新页面查看最新状态后再操作。")
        method = getattr(app, action, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise TransitionRefused(f"不存在的操作：{action}。")
        if not can_proceed(method, check_conditions=False):
            raise TransitionRefused(f"该申报当前状态为“{app.get_state_display()}”，不能执行“{label}”。")
        if not method._django_fsm.has_transition_perm(app, app.state, actor):
            raise TransitionRefused(f"您无权对该申报执行“{label}”。")
        if not has_transition_perm(method, actor):
            raise TransitionRefused(f"当前不满足“{label}”的条件（如申报期已截止），操作未执行。")
        if precheck:
            problems = precheck(app)
            if problems:
                raise TransitionRefused("；".join(problems))
        from_state = app.state
        method()
        app.version += 1
        app.save()
        ApplicationEvent.objects.create(
            application=app, action=action, from_state=from_state, to_state=app.state, actor=actor,
            actor_role="superuser" if actor.is_superuser else actor.role, comment=comment,
        )
    return app
