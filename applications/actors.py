"""Who may act on an application: one predicate per kind of actor.

Used by the transitions declared on ``Application`` and by the views'
visibility rules. ``user`` is never a superuser here: system administrators
configure the portal, they do not decide applications.
"""

from accounts.models import City, Role


def _is(user, role) -> bool:
    return bool(user) and user.is_authenticated and not user.is_superuser and user.role == role


def own_applicant(app, user) -> bool:
    return _is(user, Role.APPLICANT) and user.organisation_id == app.organisation_id


def district_officer(app, user) -> bool:
    return _is(user, Role.DISTRICT_OFFICER) and user.district_id == app.district_id


def city_reviewer(app, user) -> bool:
    return _is(user, Role.CITY_REVIEWER) and user.city == app.carrier_type.city


def hub_coordinator(app, user) -> bool:
    return _is(user, Role.HUB_COORDINATOR) and app.carrier_type.city == City.GUANGZHOU
