"""The Guangzhou expert review: the hub assigns experts, experts score, the hub compiles for the city."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent, ApplicationState, Attachment
from portal.models import Notification
from reviews import experts as service
from reviews.models import ExpertAssignment, ExpertReviewSummary
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
PERM = "applications.score_application"
FULL_MARKS = {"capability": 30, "experience": 25, "influence": 20, "management": 15, "premises_staff": 10}


def gz_application(state=S.CITY_REVIEW, **extra):
    now = timezone.now()
    round_ = factories.RoundFactory(type_code="gz_service_station")
    org = factories.OrganisationFactory(district_code="440106")
    return factories.ApplicationFactory(round=round_, organisation=org, state=state, submitted_at=now,
                                        recommended_at=now, carrier_name=f"{org.name}服务站", **extra)


@pytest.fixture
def hub():
    return factories.HubCoordinatorFactory(real_name="蒋总站")


@pytest.fixture
def gz_experts():
    return [factories.ExpertFactory(city="guangzhou", real_name=f"广州专家{i}") for i in range(3)]


@pytest.fixture
def app():
    return gz_application()


def snapshot(app):
    app.refresh_from_db()
    return (app.state, app.version, ExpertAssignment.objects.filter(application=app).count(),
            ApplicationEvent.objects.filter(application=app).count())


def assign(client, app, experts, version=None):
    return client.post(reverse("reviews:hub_assign", args=[app.pk]), {
        "experts": [e.pk for e in experts],
        "expected_version": app.version if version is None else version,
    })


def scores_post(scores, opinion="服务能力较强，服务经验丰富，建议认定。", action="submit"):
    data = {f"score_{k}": v for k, v in scores.items()}
    data.update(opinion=opinion, action=action)
    return data


def sent_to(app, hub, experts):
    service.assign_experts(app.pk, experts, hub)
    app.refresh_from_db()
    return app


def score(app, expert, points=None, opinion="材料完整，服务能力突出，同意推荐。"):
    service.save_scores(app.pk, expert, points or FULL_MARKS, opinion, final=True)


# --- Assignment -------------------------------------------------------------------

def test_assignment_grants_permission_moves_to_expert_review_and_notifies(client, hub, gz_experts, app):
    e1, e2, e3 = gz_experts
    client.force_login(hub)
    response = assign(client, app, [e1, e2])
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.EXPERT_REVIEW
    assert set(app.expert_assignments.values_list("expert_id", flat=True)) == {e1.pk, e2.pk}
    assert e1.has_perm(PERM, app) and e2.has_perm(PERM, app)
    assert not e3.has_perm(PERM, app)
    event = ApplicationEvent.objects.get(application=app)
    assert (event.action, event.actor, event.to_state) == ("send_to_experts", hub, S.EXPERT_REVIEW)
    for expert in (e1, e2):
        note = Notification.objects.get(recipient=expert)
        assert note.title == f"新的评审任务：{app.applicant_name}"
        assert note.url == reverse("reviews:detail", args=[app.pk])
    assert not Notification.objects.filter(recipient=e3).exists()


def test_at_least_two_experts_are_required(client, hub, gz_experts, app):
    client.force_login(hub)
    before = snapshot(app)
    response = assign(client, app, gz_experts[:1])
    assert response.status_code == 400
    assert "至少须分配 2 名评审专家" in response.content.decode()
    assert snapshot(app) == before
    assert not gz_experts[0].has_perm(PERM, app)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: factories.ExpertFactory(city="beijing", real_name="北京专家"), "不是广州市评审专家库的专家"),
    (lambda: factories.ExpertFactory(city="guangzhou", real_name="停用专家", is_active=False), "账号已停用"),
    (lambda: factories.CityReviewerFactory(city="guangzhou", real_name="市局审核人"), "所选专家不存在或不是评审专家"),
])
def test_unsuitable_experts_are_refused_and_nothing_changes(client, hub, gz_experts, app, make, message):
    wrong = make()
    client.force_login(hub)
    before = snapshot(app)
    response = assign(client, app, [gz_experts[0], gz_experts[1], wrong])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(app) == before
    assert not any(u.has_perm(PERM, app) for u in (*gz_experts, wrong))
    assert not Notification.objects.exists()


@pytest.mark.parametrize("make_user", [
    lambda app: factories.CityReviewerFactory(city="guangzhou"),
    lambda app: factories.ExpertFactory(city="guangzhou"),
    lambda app: factories.DistrictOfficerFactory(district_code="440106"),
    lambda app: factories.ApplicantFactory(organisation=app.organisation),
])
def test_only_the_hub_coordinator_can_assign(client, gz_experts, app, make_user):
    client.force_login(make_user(app))
    before = snapshot(app)
    assert assign(client, app, gz_experts[:2]).status_code == 403
    assert client.get(reverse("reviews:hub_queue")).status_code == 403
    assert client.get(reverse("reviews:hub_application", args=[app.pk])).status_code == 403
    assert snapshot(app) == before
    assert not any(e.has_perm(PERM, app) for e in gz_experts)


def test_service_refuses_a_non_coordinator_and_a_superuser(gz_experts, app):
    for actor in (factories.CityReviewerFactory(city="guangzhou"), factories.AdminFactory()):
        with pytest.raises(service.ExpertReviewRefused, match="无权"):
            service.assign_experts(app.pk, gz_experts[:2], actor)
    assert app.expert_assignments.count() == 0


def test_beijing_application_is_not_the_hubs(client, hub, gz_experts):
    bj = factories.ApplicationFactory(state=S.CITY_REVIEW, submitted_at=timezone.now(),
                                      recommended_at=timezone.now())
    client.force_login(hub)
    assert assign(client, bj, gz_experts[:2]).status_code == 404
    assert client.get(reverse("reviews:hub_application", args=[bj.pk])).status_code == 404
    assert bj.expert_assignments.count() == 0


def test_stale_version_refused(client, hub, gz_experts, app):
    client.force_login(hub)
    before = snapshot(app)
    response = assign(client, app, gz_experts[:2], version=app.version + 1)
    assert "已被他人处理或更新" in response.content.decode()
    assert snapshot(app) == before


def test_adding_later_and_removing_an_expert_who_has_not_scored(client, hub, gz_experts, app):
    e1, e2, e3 = gz_experts
    sent_to(app, hub, [e1, e2])
    client.force_login(hub)
    assert assign(client, app, [e3]).status_code == 302
    app.refresh_from_db()
    assert app.state == S.EXPERT_REVIEW and e3.has_perm(PERM, app)
    assert Notification.objects.filter(recipient=e3, title__startswith="新的评审任务").exists()

    response = client.post(reverse("reviews:hub_remove", args=[app.pk]),
                           {"expert": e3.pk, "expected_version": app.version})
    assert response.status_code == 302
    assert not ExpertAssignment.objects.filter(application=app, expert=e3).exists()
    assert not e3.has_perm(PERM, app)
    client.force_login(e3)
    assert client.get(reverse("reviews:detail", args=[app.pk])).status_code == 404


def test_removal_keeps_two_experts_and_scored_experts(hub, gz_experts, app):
    e1, e2, e3 = gz_experts
    sent_to(app, hub, [e1, e2])
    with pytest.raises(service.ExpertReviewRefused, match="至少须保留 2 名"):
        service.remove_expert(app.pk, e1.pk, hub)
    service.assign_experts(app.pk, [e3], hub)
    score(app, e1)
    with pytest.raises(service.ExpertReviewRefused, match="已提交评分"):
        service.remove_expert(app.pk, e1.pk, hub)
    assert e1.has_perm(PERM, app)


# --- What an expert may see ---------------------------------------------------------

def test_unassigned_expert_gets_404_everywhere_and_sees_no_data(client, hub, gz_experts, app):
    e1, e2, outsider = gz_experts
    sent_to(app, hub, [e1, e2])
    attachment = Attachment.objects.create(
        application=app, slot="business_license", file=ContentFile(b"%PDF-1.4\n%test\n", name="licence.pdf"),
        original_name="营业执照.pdf", kind="pdf", size=15, sha256="0" * 64, uploaded_by=app.created_by)
    urls = [reverse("reviews:detail", args=[app.pk]),
            reverse("applications:attachment", args=[app.pk, attachment.pk]),
            reverse("applications:pdf", args=[app.pk])]
    client.force_login(e1)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(outsider)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert app.applicant_name not in response.content.decode()
    post = client.post(reverse("reviews:expert_score", args=[app.pk]), scores_post(FULL_MARKS))
    assert post.status_code == 404
    queue = client.get(reverse("reviews:expert_queue")).content.decode()
    assert app.applicant_name not in queue and app.number not in queue
    landing = client.get(reverse("accounts:landing")).content.decode()
    assert app.applicant_name not in landing
    assert not ExpertAssignment.objects.filter(expert=outsider).exists()


def test_expert_queue_and_landing_list_their_assignments(client, hub, gz_experts, app):
    other = gz_application()
    sent_to(app, hub, gz_experts[:2])
    sent_to(other, hub, gz_experts[1:])
    client.force_login(gz_experts[0])
    queue = client.get(reverse("reviews:expert_queue")).content.decode()
    assert app.applicant_name in queue and other.applicant_name not in queue
    landing = client.get(reverse("accounts:landing")).content.decode()
    assert "待评分的任务（1）" in landing and app.applicant_name in landing
    assert "分配后会在此处显示" not in landing


def test_an_expert_does_not_see_the_other_experts_scores(client, hub, gz_experts, app):
    e1, e2, _ = gz_experts
    sent_to(app, hub, [e1, e2])
    score(app, e1, opinion="甲专家独有的评审意见：服务网络覆盖面广。")
    client.force_login(e2)
    body = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "我的评分" in body
    assert "甲专家独有的评审意见" not in body and e1.real_name not in body
    assert "专家评分与推荐意见" not in body and "expert-scores" not in body  # the hub's and city's table


# --- Scoring ----------------------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    ({"score_capability": "31"}, "“民营和中小企业服务能力”的得分不能超过满分 30 分"),
    ({"score_influence": "-1"}, "“在区域、行业中的影响力和知名度”的得分不能为负数"),
    ({"score_experience": "12.5"}, "“民营和中小企业服务经验”的得分须为整数"),
    ({"score_management": ""}, "请为“服务管理制度和服务架构”打分"),
    ({"opinion": ""}, "请填写评审意见"),
    ({"opinion": "同意。"}, "评审意见至少 10 个字"),
])
def test_scoring_is_validated_on_the_server(client, hub, gz_experts, app, change, message):
    expert = gz_experts[0]
    sent_to(app, hub, gz_experts[:2])
    client.force_login(expert)
    data = scores_post(FULL_MARKS)
    data.update(change)
    response = client.post(reverse("reviews:expert_score", args=[app.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assignment = ExpertAssignment.objects.get(application=app, expert=expert)
    assert assignment.submitted_at is None and assignment.scores == {} and assignment.total is None


def test_a_draft_keeps_partial_scores_and_a_submission_is_final(client, hub, gz_experts, app):
    expert = gz_experts[0]
    sent_to(app, hub, gz_experts[:2])
    client.force_login(expert)
    url = reverse("reviews:expert_score", args=[app.pk])
    draft = client.post(url, {"score_capability": "20", "opinion": "初步意见", "action": "draft"})
    assert draft.status_code == 302
    assignment = ExpertAssignment.objects.get(application=app, expert=expert)
    assert assignment.scores == {"capability": 20} and assignment.submitted_at is None
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert 'value="20"' in page and "初步意见" in page

    points = {"capability": 25, "experience": 20, "influence": 15, "management": 10, "premises_staff": 8}
    assert client.post(url, scores_post(points)).status_code == 302
    assignment.refresh_from_db()
    assert assignment.total == 78 and assignment.submitted_at is not None

    again = client.post(url, scores_post(FULL_MARKS), follow=True)
    assert "评分提交后不能修改" in again.content.decode()
    assignment.refresh_from_db()
    assert assignment.total == 78 and assignment.scores == points
    with pytest.raises(service.ExpertReviewRefused):
        service.save_scores(app.pk, expert, FULL_MARKS, "再次提交的评审意见内容", final=True)


def test_last_submission_tells_the_hub(hub, gz_experts, app):
    sent_to(app, hub, gz_experts[:2])
    score(app, gz_experts[0])
    assert not Notification.objects.filter(recipient=hub).exists()
    score(app, gz_experts[1])
    assert Notification.objects.get(recipient=hub).title == f"专家评分已全部提交：{app.applicant_name}"


# --- Compiling ----------------------------------------------------------------------

def compile_post(client, app, **data):
    app.refresh_from_db()
    payload = {"recommended": "1", "opinion": "经专家评审，该单位具备服务站认定条件，推荐认定。",
               "expected_version": app.version}
    payload.update(data)
    return client.post(reverse("reviews:hub_compile", args=[app.pk]), payload)


def test_compile_refused_until_every_expert_has_scored(client, hub, gz_experts, app):
    sent_to(app, hub, gz_experts[:2])
    score(app, gz_experts[0])
    client.force_login(hub)
    before = snapshot(app)
    response = compile_post(client, app)
    assert response.status_code == 400
    assert "尚有 1 名专家未提交评分" in response.content.decode()
    assert snapshot(app) == before
    assert not ExpertReviewSummary.objects.exists()


def test_compile_returns_to_the_city_with_the_summary_and_notifies_it(client, hub, gz_experts, app):
    gz_city = factories.CityReviewerFactory(city="guangzhou")
    bj_city = factories.CityReviewerFactory(city="beijing")
    sent_to(app, hub, gz_experts[:2])
    score(app, gz_experts[0], {"capability": 25, "experience": 20, "influence": 15, "management": 10,
                               "premises_staff": 5})  # 75
    score(app, gz_experts[1], {"capability": 20, "experience": 15, "influence": 10, "management": 10,
                               "premises_staff": 4})  # 59
    client.force_login(hub)
    response = compile_post(client, app)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.CITY_REVIEW and app.expert_review_done
    summary = ExpertReviewSummary.objects.get(application=app)
    assert summary.average_score == Decimal("67.00") and summary.recommended
    assert summary.compiled_by == hub and "推荐认定" in summary.opinion
    event = ApplicationEvent.objects.filter(application=app).last()
    assert event.action == "complete_expert_review"
    assert "67" not in event.comment and "推荐认定" not in event.comment  # the history is the applicant's too
    client.force_login(factories.ApplicantFactory(organisation=app.organisation))
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "专家评审已完成" in body and "67.00" not in body and summary.opinion not in body
    note = Notification.objects.get(recipient=gz_city)
    assert note.title == f"专家评审已完成：{app.applicant_name}"
    assert not Notification.objects.filter(recipient=bj_city).exists()
    # No second round of experts once the review is done.
    with pytest.raises(service.ExpertReviewRefused):
        service.assign_experts(app.pk, [gz_experts[2]], hub)


def test_compile_against_the_average_needs_a_reason(client, hub, gz_experts, app):
    sent_to(app, hub, gz_experts[:2])
    low = {"capability": 15, "experience": 10, "influence": 10, "management": 8, "premises_staff": 5}  # 48
    score(app, gz_experts[0], low)
    score(app, gz_experts[1], low)
    client.force_login(hub)
    refused = compile_post(client, app, recommended="1")
    assert refused.status_code == 400 and "须填写调整理由" in refused.content.decode()
    assert not ExpertReviewSummary.objects.exists()
    assert compile_post(client, app, recommended="1", override_reason="该单位为区内唯一覆盖山区的服务机构。",
                        ).status_code == 302
    summary = ExpertReviewSummary.objects.get(application=app)
    assert summary.recommended and summary.average_score == Decimal("48.00")
    assert "唯一覆盖山区" in summary.opinion


def test_compile_needs_an_opinion(client, hub, gz_experts, app):
    sent_to(app, hub, gz_experts[:2])
    score(app, gz_experts[0])
    score(app, gz_experts[1])
    client.force_login(hub)
    response = compile_post(client, app, opinion="  ")
    assert response.status_code == 400 and "请填写服务总站的推荐意见" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.EXPERT_REVIEW


def test_hub_queue_shows_progress_and_only_its_work(client, hub, gz_experts, app):
    waiting = gz_application()
    done = gz_application(state=S.SHORTLISTED, expert_review_done=True)
    bj = factories.ApplicationFactory(state=S.CITY_REVIEW, submitted_at=timezone.now(),
                                      recommended_at=timezone.now())
    sent_to(app, hub, gz_experts[:2])
    score(app, gz_experts[0])
    client.force_login(hub)
    body = client.get(reverse("reviews:hub_queue")).content.decode()
    assert app.applicant_name in body and waiting.applicant_name in body
    assert done.applicant_name not in body and bj.applicant_name not in body
    assert "已评 1 / 2" in body
    assert service.hub_counts(hub) == {"waiting": 1, "in_review": 1, "ready": 0}
    score(app, gz_experts[1])
    assert service.hub_counts(hub)["ready"] == 1
    assert client.get(reverse("reviews:hub_queue"), {"show": "bogus"}).status_code == 200
    landing = client.get(reverse("accounts:landing")).content.decode()
    assert reverse("reviews:hub_queue") in landing


def test_hub_queue_query_count_is_fixed(client, hub):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hub)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reviews:hub_queue")).status_code == 200
        return len(ctx)

    for _ in range(3):
        gz_application()
    few = count()
    for _ in range(25):
        gz_application()
    assert count() == few
