"""Every transition of domain.md's flow, fired by every kind of actor: the rightful one
succeeds; every other actor, and every other state, is refused with nothing changed."""

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent, ApplicationState
from applications.workflow import ACTION_LABELS, TransitionRefused, transition
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
# (action, type code, source state, extra fields, rightful actor, target state)
CASES = [
    ("submit", "bj_srdi_station", S.DRAFT, {}, "applicant", S.DISTRICT_REVIEW),
    ("return_for_revision", "bj_srdi_station", S.DISTRICT_REVIEW, {}, "district", S.DRAFT),
    ("reject", "bj_srdi_station", S.DISTRICT_REVIEW, {}, "district", S.REJECTED),
    ("recommend", "bj_srdi_station", S.DISTRICT_REVIEW, {}, "district", S.CITY_REVIEW),
    ("reject", "bj_demo_platform", S.CITY_REVIEW, {}, "city", S.REJECTED),
    ("send_to_experts", "gz_service_station", S.CITY_REVIEW, {}, "hub", S.EXPERT_REVIEW),
    ("complete_expert_review", "gz_service_station", S.EXPERT_REVIEW, {}, "hub", S.CITY_REVIEW),
    ("shortlist", "bj_demo_base", S.CITY_REVIEW, {}, "city", S.SHORTLISTED),
    ("shortlist", "gz_service_station", S.CITY_REVIEW, {"expert_review_done": True}, "city", S.SHORTLISTED),
    ("publish_notice", "bj_srdi_station", S.SHORTLISTED, {}, "city", S.IN_NOTICE),
    ("close_notice", "bj_srdi_station", S.IN_NOTICE, {}, "system", S.APPROVED),
    ("uphold_objection", "gz_service_station", S.IN_NOTICE, {}, "city", S.REJECTED),
    ("announce", "bj_srdi_station", S.APPROVED, {}, "city", S.ANNOUNCED),
] + [
    ("withdraw", "gz_service_station" if state == S.EXPERT_REVIEW else "bj_srdi_station", state, {}, "applicant",
     S.WITHDRAWN)
    for state in (S.DRAFT, S.DISTRICT_REVIEW, S.CITY_REVIEW, S.EXPERT_REVIEW, S.SHORTLISTED)
]
ACTORS = ["applicant", "other_applicant", "district", "other_district", "city", "other_city", "hub", "expert",
          "admin", "system"]


def make_application(type_code, state, extra):
    city_district = "440106" if type_code.startswith("gz_") else "110108"
    round_ = factories.RoundFactory(type_code=type_code)
    org = factories.OrganisationFactory(district_code=city_district)
    submitted = None if state == S.DRAFT else timezone.now()
    app = factories.ApplicationFactory(round=round_, organisation=org, state=state, submitted_at=submitted,
                                       recommended_at=submitted if state not in (S.DRAFT, S.DISTRICT_REVIEW)
                                       else None, **extra)
    return app


def make_actor(kind, app):
    gz = app.carrier_type.city == "guangzhou"
    other_district = "440113" if gz else "110105"
    return {
        "applicant": lambda: factories.ApplicantFactory(organisation=app.organisation),
        "other_applicant": lambda: factories.ApplicantFactory(
            organisation=factories.OrganisationFactory(district_code=app.district.code)),
        "district": lambda: factories.DistrictOfficerFactory(district_code=app.district.code),
        "other_district": lambda: factories.DistrictOfficerFactory(district_code=other_district),
        "city": lambda: factories.CityReviewerFactory(city=app.carrier_type.city),
        "other_city": lambda: factories.CityReviewerFactory(city="beijing" if gz else "guangzhou"),
        "hub": lambda: factories.HubCoordinatorFactory(),
        "expert": lambda: factories.ExpertFactory(city=app.carrier_type.city),
        "admin": lambda: factories.AdminFactory(),
        "system": lambda: None,
    }[kind]()


def snapshot(app):
    app.refresh_from_db()
    return app.state, app.version, ApplicationEvent.objects.filter(application=app).count()


def case_id(case):
    return f"{case[0]}:{case[1]}:{case[2]}"


@pytest.mark.parametrize("actor_kind", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_transition_by_actor(case, actor_kind):
    action, type_code, source, extra, rightful, target = case
    app = make_application(type_code, source, extra)
    actor = make_actor(actor_kind, app)
    before = snapshot(app)
    comment = "理由：核对材料后的意见。"
    if actor_kind == rightful:
        transition(app.pk, action, actor, comment)
        app.refresh_from_db()
        assert app.state == target
        event = ApplicationEvent.objects.get(application=app)
        assert (event.action, event.from_state, event.to_state, event.actor) == (action, source, target, actor)
        assert event.actor_role == ("system" if actor is None else actor.role)
        assert app.version == before[1] + 1
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(app.pk, action, actor, comment)
        assert refused.value.message  # a Chinese reason, shown to the user
        assert snapshot(app) == before


ALL_STATES = list(S)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rightful_actor_refused_from_every_other_state(case):
    action, type_code, source, extra, rightful, _target = case
    own_sources = {c[2] for c in CASES if c[0] == action and c[4] == rightful}
    for state in ALL_STATES:
        if state in own_sources:
            continue
        app = make_application(type_code, state, extra)
        actor = make_actor(rightful, app)
        before = snapshot(app)
        with pytest.raises(TransitionRefused):
            transition(app.pk, action, actor, "理由")
        assert snapshot(app) == before, state


@pytest.mark.parametrize("action", ["return_for_revision", "reject", "uphold_objection", "withdraw"])
def test_reasons_are_required(action):
    case = next(c for c in CASES if c[0] == action)
    app = make_application(case[1], case[2], case[3])
    before = snapshot(app)
    with pytest.raises(TransitionRefused, match="须填写理由"):
        transition(app.pk, action, make_actor(case[4], app), "  ")
    assert snapshot(app) == before


def test_recommend_refused_after_the_district_deadline():
    app = make_application("bj_srdi_station", S.DISTRICT_REVIEW, {})
    app.round.district_deadline = timezone.localdate() - timezone.timedelta(days=1)
    app.round.opens_on = app.round.closes_on = app.round.district_deadline
    app.round.save()
    before = snapshot(app)
    with pytest.raises(TransitionRefused, match="条件"):
        transition(app.pk, "recommend", make_actor("district", app))
    assert snapshot(app) == before


def test_gz_shortlist_needs_the_expert_review():
    app = make_application("gz_service_station", S.CITY_REVIEW, {})
    with pytest.raises(TransitionRefused, match="条件"):
        transition(app.pk, "shortlist", make_actor("city", app))


def test_unknown_action_and_stale_version_refused():
    app = make_application("bj_srdi_station", S.DISTRICT_REVIEW, {})
    officer = make_actor("district", app)
    with pytest.raises(TransitionRefused, match="不存在的操作"):
        transition(app.pk, "delete", officer)
    with pytest.raises(TransitionRefused, match="已被他人处理或更新"):
        transition(app.pk, "recommend", officer, expected_version=app.version + 1)
    assert snapshot(app)[0] == S.DISTRICT_REVIEW


def test_every_declared_action_is_in_the_table():
    assert {c[0] for c in CASES} == set(ACTION_LABELS)
