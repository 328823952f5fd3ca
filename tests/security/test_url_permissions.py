"""Every URL of the project, visited by every kind of outsider and by its rightful user.

Outsiders: anonymous, an applicant of another organisation, an officer of another
district, a reviewer of the other city, an unassigned expert. Each gets the status
in the table, and no response to an outsider contains the applicant's data.
A new URL fails ``test_every_url_is_in_the_table`` until it is added here.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from applications.models import ApplicationState, Attachment, RoundAttachment
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SECRET_NAME = "海淀保密测试科技有限公司"
SECRET_GZ_NAME = "天河保密测试服务有限公司"
OUTSIDERS = ("anonymous", "other_applicant", "other_district", "other_city", "unassigned_expert")


class World:
    """A Beijing application in district review and a Guangzhou one in expert review."""

    def __init__(self):
        now = timezone.now()
        self.bj_round = factories.RoundFactory(type_code="bj_srdi_station")
        self.gz_round = factories.RoundFactory(type_code="gz_service_station")
        self.org = factories.OrganisationFactory(district_code="110108", name=SECRET_NAME)
        self.applicant = factories.ApplicantFactory(organisation=self.org, is_org_admin=True)
        self.member = factories.ApplicantFactory(organisation=self.org)
        self.app = factories.ApplicationFactory(round=self.bj_round, organisation=self.org,
                                                state=ApplicationState.DISTRICT_REVIEW, submitted_at=now)
        self.attachment = Attachment.objects.create(
            application=self.app, slot="business_license", file=SimpleUploadedFile("营业执照.pdf", PDF),
            original_name="营业执照.pdf", kind="pdf", size=len(PDF), sha256="0" * 64, uploaded_by=self.applicant)
        self.round_attachment = RoundAttachment.objects.create(
            round=self.bj_round, title="申报指南", file=SimpleUploadedFile("指南.pdf", PDF), original_name="指南.pdf",
            kind="pdf", size=len(PDF))
        self.district = factories.DistrictOfficerFactory(district_code="110108")
        self.bj_city = factories.CityReviewerFactory(city="beijing")
        self.gz_org = factories.OrganisationFactory(district_code="440106", name=SECRET_GZ_NAME)
        self.gz_app = factories.ApplicationFactory(round=self.gz_round, organisation=self.gz_org,
                                                   state=ApplicationState.EXPERT_REVIEW, submitted_at=now,
                                                   recommended_at=now)
        self.expert = factories.ExpertFactory(city="guangzhou")
        assign_perm("applications.score_application", self.expert, self.gz_app)
        self.hub = factories.HubCoordinatorFactory()
        self.gz_city = factories.CityReviewerFactory(city="guangzhou")
        self.admin = factories.AdminFactory()
        self.outsiders = {
            "anonymous": None,
            "other_applicant": factories.ApplicantFactory(
                organisation=factories.OrganisationFactory(district_code="110108"), is_org_admin=True),
            "other_district": factories.DistrictOfficerFactory(district_code="110105"),
            "other_city": self.gz_city,
            "unassigned_expert": factories.ExpertFactory(city="guangzhou"),
        }


@pytest.fixture
def world():
    return World()


# Expected statuses. Keys: url name → (kwargs(world), rightful user(world), {outsider: status}, secret).
# "secret" is text of the application that must not leak to outsiders.
ANY = "any"
PUBLIC = dict.fromkeys(OUTSIDERS, 200)
LOGIN_ONLY = {**dict.fromkeys(OUTSIDERS, 200), "anonymous": 302}
APPLICANT_ONLY = {"anonymous": 302, "other_applicant": 200, "other_district": 403, "other_city": 403,
                  "unassigned_expert": 403}
ORG_ADMIN_POST = {"anonymous": 302, "other_applicant": 404, "other_district": 403, "other_city": 403,
                  "unassigned_expert": 403}
OWN_OBJECT = {"anonymous": 302, "other_applicant": 404, "other_district": 403, "other_city": 403,
              "unassigned_expert": 403}
VISIBLE_OBJECT = {"anonymous": 302, "other_applicant": 404, "other_district": 404, "other_city": 404,
                  "unassigned_expert": 404}
CITY_ONLY = {"anonymous": 302, "other_applicant": 403, "other_district": 403, "other_city": 200,
             "unassigned_expert": 403}
CITY_OBJECT = {"anonymous": 302, "other_applicant": 403, "other_district": 403, "other_city": 404,
               "unassigned_expert": 403}
HUB_ONLY = {"anonymous": 302, **dict.fromkeys(OUTSIDERS[1:], 403)}
EXPERT_ONLY = {"anonymous": 302, "other_applicant": 403, "other_district": 403, "other_city": 403}


def app_kwargs(w):
    return {"pk": w.app.pk}


def gz_kwargs(w):
    return {"pk": w.gz_app.pk}


TABLE = {
    "home": ("GET", lambda w: {}, lambda w: w.applicant, PUBLIC),
    "healthz": ("GET", lambda w: {}, lambda w: w.admin, PUBLIC),
    "set_language": ("POST", lambda w: {}, lambda w: w.applicant, dict.fromkeys(OUTSIDERS, 302)),
    "display_preferences": ("POST", lambda w: {}, lambda w: w.applicant, dict.fromkeys(OUTSIDERS, 302)),
    "notifications": ("GET", lambda w: {}, lambda w: w.applicant, LOGIN_ONLY),
    "accounts:login": ("GET", lambda w: {}, lambda w: None, {**PUBLIC, **dict.fromkeys(OUTSIDERS[1:], 302)}),
    "accounts:logout": ("POST", lambda w: {}, lambda w: w.applicant, dict.fromkeys(OUTSIDERS, 302)),
    "accounts:register": ("GET", lambda w: {}, lambda w: None, {**PUBLIC, **dict.fromkeys(OUTSIDERS[1:], 302)}),
    "accounts:landing": ("GET", lambda w: {}, lambda w: w.district, LOGIN_ONLY),
    "accounts:organisation": ("GET", lambda w: {}, lambda w: w.applicant, APPLICANT_ONLY),
    "accounts:member_add": ("POST", lambda w: {}, lambda w: w.applicant,
                            {**ORG_ADMIN_POST, "other_applicant": 400}),
    "accounts:member_toggle": ("POST", lambda w: {"pk": w.member.pk}, lambda w: w.applicant, ORG_ADMIN_POST),
    "accounts:password_change": ("GET", lambda w: {}, lambda w: w.applicant, LOGIN_ONLY),
    "accounts:password_change_done": ("GET", lambda w: {}, lambda w: w.applicant, LOGIN_ONLY),
    "accounts:password_reset": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "accounts:password_reset_done": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "accounts:password_reset_confirm": ("GET", lambda w: {"uidb64": "MQ", "token": "bad-token"}, lambda w: None,
                                        PUBLIC),
    "accounts:password_reset_complete": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "applications:rounds": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "applications:round_detail": ("GET", lambda w: {"pk": w.bj_round.pk}, lambda w: None, PUBLIC),
    "applications:round_attachment": ("GET", lambda w: {"pk": w.bj_round.pk, "attachment_pk": w.round_attachment.pk},
                                      lambda w: None, PUBLIC),
    "applications:start": ("POST", lambda w: {"round_pk": w.bj_round.pk}, lambda w: w.applicant,
                           {**APPLICANT_ONLY, "other_applicant": 302}),
    "applications:manage_rounds": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "applications:round_new": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "applications:manage_round_detail": ("GET", lambda w: {"pk": w.bj_round.pk}, lambda w: w.bj_city, CITY_OBJECT),
    "applications:round_edit": ("GET", lambda w: {"pk": w.bj_round.pk}, lambda w: w.bj_city, CITY_OBJECT),
    "applications:round_attachment_add": ("POST", lambda w: {"pk": w.bj_round.pk}, lambda w: w.bj_city,
                                          CITY_OBJECT),
    "applications:mine": ("GET", lambda w: {}, lambda w: w.applicant, APPLICANT_ONLY),
    "applications:detail": ("GET", app_kwargs, lambda w: w.applicant, VISIBLE_OBJECT),
    "applications:section": ("GET", lambda w: {"pk": w.app.pk, "key": "basic"}, lambda w: w.applicant, OWN_OBJECT),
    "applications:attachments": ("GET", app_kwargs, lambda w: w.applicant, OWN_OBJECT),
    "applications:attachment": ("GET", lambda w: {"pk": w.app.pk, "attachment_pk": w.attachment.pk},
                                lambda w: w.district, VISIBLE_OBJECT),
    "applications:submit": ("GET", app_kwargs, lambda w: w.applicant, OWN_OBJECT),
    "applications:withdraw": ("POST", app_kwargs, lambda w: w.applicant, OWN_OBJECT),
    "applications:pdf": ("GET", app_kwargs, lambda w: w.district, VISIBLE_OBJECT),
    "reviews:detail": ("GET", app_kwargs, lambda w: w.district, VISIBLE_OBJECT),
    # GZ expert review (gz_app is in expert review; World grants w.expert the object permission only).
    "reviews:hub_queue": ("GET", lambda w: {}, lambda w: w.hub, HUB_ONLY),
    "reviews:hub_application": ("GET", gz_kwargs, lambda w: w.hub, HUB_ONLY),
    "reviews:hub_assign": ("POST", gz_kwargs, lambda w: w.hub, HUB_ONLY),
    "reviews:hub_remove": ("POST", gz_kwargs, lambda w: w.hub, HUB_ONLY),
    "reviews:hub_compile": ("POST", gz_kwargs, lambda w: w.hub, HUB_ONLY),
    "reviews:expert_queue": ("GET", lambda w: {}, lambda w: w.expert, {**EXPERT_ONLY, "unassigned_expert": 200}),
    "reviews:expert_score": ("POST", gz_kwargs, lambda w: w.expert, {**EXPERT_ONLY, "unassigned_expert": 404}),
    # The city queue: "other_city" is the Guangzhou reviewer, for whom the GZ application is its own city's.
    "reviews:city_queue": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY, {"other_city"}),
    "reviews:city_decide": ("POST", gz_kwargs, lambda w: w.gz_city, {**CITY_ONLY, "other_city": 302}),
    "carriers:api_eligibility": ("POST", lambda w: {"type_code": "bj_srdi_station"}, lambda w: None,
                                 dict.fromkeys(OUTSIDERS, 400)),
    "carriers:eligibility_index": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "carriers:eligibility_type": ("GET", lambda w: {"type_code": "bj_srdi_station"}, lambda w: None, PUBLIC),
}
# --- District officers (reviews.views.district) ---
DISTRICT_PAGE = {"anonymous": 302, "other_applicant": 403, "other_district": 200, "other_city": 403,
                 "unassigned_expert": 403}
DISTRICT_POST = {**DISTRICT_PAGE, "other_district": 302}
DISTRICT_OBJECT = {**DISTRICT_PAGE, "other_district": 404}


def district_list_kwargs(w):
    from reviews.models import RecommendationEntry, RecommendationList

    recommendation_list, _ = RecommendationList.objects.get_or_create(round=w.bj_round, district=w.district.district)
    RecommendationEntry.objects.get_or_create(recommendation_list=recommendation_list, application=w.app,
                                              defaults={"rank": 1})
    return {"list_pk": recommendation_list.pk}


TABLE.update({
    "reviews:district_queue": ("GET", lambda w: {}, lambda w: w.district, DISTRICT_PAGE),
    "reviews:district_return": ("POST", app_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "reviews:district_reject": ("POST", app_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "reviews:district_list_add": ("POST", app_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "reviews:district_list_remove": ("POST", app_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "reviews:district_list": ("GET", lambda w: {"round_pk": w.bj_round.pk}, lambda w: w.district, DISTRICT_PAGE),
    "reviews:district_list_entries": ("POST", lambda w: {"round_pk": w.bj_round.pk}, lambda w: w.district,
                                      DISTRICT_POST),
    "reviews:district_list_submit": ("POST", lambda w: {"round_pk": w.bj_round.pk}, lambda w: w.district,
                                     DISTRICT_POST),
    "reviews:district_list_xlsx": ("GET", district_list_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "reviews:district_list_pdf": ("GET", district_list_kwargs, lambda w: w.district, DISTRICT_OBJECT),
})

# --- The districts' recommendation lists as the city receives them (reviews.views.received_lists) ---


def received_list_world(w):
    """A Chaoyang list sent to the Beijing bureau, of another (non-secret) application in city review."""
    if not hasattr(w, "received_list"):
        from reviews.models import RecommendationEntry, RecommendationList

        now = timezone.now()
        officer = factories.DistrictOfficerFactory(district_code="110105")
        listed = factories.ApplicationFactory(
            round=w.bj_round, organisation=factories.OrganisationFactory(district_code="110105"),
            state=ApplicationState.CITY_REVIEW, submitted_at=now, recommended_at=now)
        w.received_list = RecommendationList.objects.create(
            round=w.bj_round, district=officer.district, status=RecommendationList.Status.SUBMITTED,
            opinion="同意推荐。", submitted_at=now, submitted_by=officer)
        RecommendationEntry.objects.create(recommendation_list=w.received_list, application=listed, rank=1)
    return w


TABLE.update({
    "reviews:city_district_lists": ("GET", lambda w: received_list_world(w) and {}, lambda w: w.bj_city,
                                    CITY_ONLY),
    "reviews:city_district_list": ("GET", lambda w: {"list_pk": received_list_world(w).received_list.pk},
                                   lambda w: w.bj_city, CITY_OBJECT),
})

# --- 公示 and 异议 (reviews.views.notices): a Beijing notice, open today, with one objection ---
NOTICE_OBJECTOR = "异议人保密测试"


def notice_world(w):
    """A notice of another (non-secret) Beijing application, open today, and a unit's objection to it."""
    import datetime

    from reviews.models import NoticeEntry, Objection, PublicNotice

    if not hasattr(w, "notice"):
        now = timezone.now()
        today = timezone.localdate()
        listed = factories.ApplicationFactory(round=w.bj_round, state=ApplicationState.IN_NOTICE, submitted_at=now,
                                              recommended_at=now, carrier_name="公示测试服务站")
        w.notice = PublicNotice.objects.create(
            round=w.bj_round, title="拟认定名单公示", document_number="京经信公示〔2026〕99号", body="现予公示。",
            objection_contact="中小企业处", starts_on=today, ends_on=today + datetime.timedelta(days=6),
            published_by=w.bj_city)
        entry = NoticeEntry.objects.create(notice=w.notice, application=listed, seq=1, district_name="海淀区",
                                           unit_name=listed.applicant_name, carrier_name=listed.carrier_name,
                                           type_name=listed.carrier_type.name)
        w.objection = Objection.objects.create(
            entry=entry, kind="unit", objector_name=NOTICE_OBJECTOR, contact_phone="010-66668888",
            contact_email="objector@example.com", facts="事实和理由" * 5, letter=SimpleUploadedFile("函.pdf", PDF),
            letter_name="函.pdf")
    return w


def notice_kwargs(w):
    return {"pk": notice_world(w).notice.pk}


def objection_kwargs(w):
    return {"pk": notice_world(w).objection.pk}


TABLE.update({
    "reviews:notices": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "reviews:notice": ("GET", notice_kwargs, lambda w: None, PUBLIC),
    "reviews:notice_pdf": ("GET", notice_kwargs, lambda w: None, PUBLIC),
    "reviews:notice_object": ("GET", notice_kwargs, lambda w: None, PUBLIC),
    "reviews:city_notices": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "reviews:city_notice_new": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "reviews:city_objections": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "reviews:city_objection": ("GET", objection_kwargs, lambda w: w.bj_city, CITY_OBJECT),
    "reviews:city_objection_letter": ("GET", objection_kwargs, lambda w: w.bj_city, CITY_OBJECT),
})


def test_objector_never_reaches_an_outsider(client, world):
    """The objector's name is in no response to anyone but the Beijing city reviewers."""
    names = ["reviews:notices", "reviews:notice", "reviews:notice_object", "reviews:city_notices",
             "reviews:city_objections", "reviews:city_objection"]
    notice_world(world)
    urls = [reverse(name, kwargs=TABLE[name][1](world)) for name in names]
    urls.append(reverse("applications:detail", args=[world.objection.entry.application_id]))
    listed_applicant = factories.ApplicantFactory(organisation=world.objection.entry.application.organisation)
    for user in [*world.outsiders.values(), listed_applicant, world.district]:
        for url in urls:
            body = body_of(visit(client, user, "GET", url))
            assert NOTICE_OBJECTOR not in body, f"{url} shows the objector to {user}"

# --- 公告, certificates, the GZ hub and the public register (public.views, reviews.views.announcements) ---
PUBLIC_UNIT = "公开测试运营有限公司"


def public_carrier_kwargs(w):
    """A carrier of a non-secret unit: its public page and verification."""
    from carriers.models import Carrier

    carrier = Carrier.objects.filter(number="BJZJTX-2026-0900").first() or factories.CarrierFactory(
        number="BJZJTX-2026-0900", organisation=factories.OrganisationFactory(district_code="110105",
                                                                             name=PUBLIC_UNIT))
    return {"number": carrier.number}


def own_carrier_kwargs(w):
    """A carrier of the secret unit: only its members and Beijing reviewers may download the certificate."""
    return {"pk": factories.CarrierFactory(organisation=w.org, number="BJZJTX-2026-0901").pk}


def announcement_kwargs(w):
    from reviews.models import Announcement

    announcement = Announcement.objects.filter(document_number="京经信发〔2026〕900号").first()
    if announcement is None:
        announcement = Announcement.objects.create(
            round=w.bj_round, title="认定名单公告", document_number="京经信发〔2026〕900号",
            published_on=timezone.localdate(), body="现予公告。", published_by=w.bj_city)
    return {"pk": announcement.pk}


GZ_CITY_PAGE = {**CITY_ONLY}  # "other_city" is the Guangzhou reviewer: the rightful user of the hub page
NOBODY_ELSE = dict.fromkeys(OUTSIDERS, 404)

TABLE.update({
    "reviews:announcement_list": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "reviews:announcement_new": ("GET", lambda w: {"round_pk": w.bj_round.pk}, lambda w: w.bj_city, CITY_OBJECT),
    "reviews:announcement_detail": ("GET", announcement_kwargs, lambda w: w.bj_city, CITY_OBJECT),
    "reviews:hub_designation": ("GET", lambda w: {}, lambda w: w.gz_city, GZ_CITY_PAGE, {"other_city"}),
    "carriers:certificate": ("GET", own_carrier_kwargs, lambda w: w.applicant, NOBODY_ELSE),
    "carrier_list": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "carrier_detail": ("GET", public_carrier_kwargs, lambda w: None, PUBLIC),
    "verify_form": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "verify": ("GET", public_carrier_kwargs, lambda w: None, PUBLIC),
    "announcement_list": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "announcement_detail": ("GET", announcement_kwargs, lambda w: None, PUBLIC),
    "open_data": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "open_data_csv": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "open_data_xlsx": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "open_data_json": ("GET", lambda w: {}, lambda w: None, PUBLIC),
    "atom_feed": ("GET", lambda w: {}, lambda w: None, PUBLIC),
})


# --- Revocation by the city and the GZ station's withdrawal request (carriers.revocation_views) ---


def secret_carrier_kwargs(w):
    """A Beijing carrier of the secret unit: only Beijing's city reviewers reach its revoke page."""
    from carriers.models import Carrier

    carrier = Carrier.objects.filter(number="BJZJTX-2026-0902").first() or factories.CarrierFactory(
        organisation=w.org, number="BJZJTX-2026-0902")
    return {"pk": carrier.pk}


def gz_station_applicant(w):
    if not hasattr(w, "gz_applicant"):
        w.gz_applicant = factories.ApplicantFactory(organisation=w.gz_org)
    return w.gz_applicant


def gz_station_kwargs(w):
    """A GZ station of the secret GZ unit: only its own unit's users may ask to withdraw it."""
    from carriers.models import Carrier

    gz_station_applicant(w)
    carrier = Carrier.objects.filter(number="GZFWZ-2026-0903").first() or factories.CarrierFactory(
        type_code="gz_service_station", organisation=w.gz_org, number="GZFWZ-2026-0903")
    return {"pk": carrier.pk}


TABLE.update({
    "carriers:city_carriers": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "carriers:revoke": ("GET", secret_carrier_kwargs, lambda w: w.bj_city, CITY_OBJECT),
    "carriers:withdraw_request": ("GET", gz_station_kwargs, gz_station_applicant, OWN_OBJECT, {"other_city"}),
})


# --- Annual evaluation (evaluations.views): a submitted self-assessment of the secret unit's BJ station ---


def evaluation_world(w):
    if not hasattr(w, "self_assessment"):
        from evaluations.models import EvaluationCampaign, SelfAssessment

        carrier = factories.CarrierFactory(organisation=w.org, number="BJZJTX-2026-0904")
        today = timezone.localdate()
        w.campaign = EvaluationCampaign.objects.create(
            carrier_type=carrier.carrier_type, year=today.year, self_assessment_deadline=today, created_by=w.bj_city)
        w.self_assessment = SelfAssessment.objects.create(campaign=w.campaign, carrier=carrier,
                                                          data={"summary": SECRET_NAME}, submitted_at=timezone.now())
    return w


def evaluation_fill_kwargs(w):
    evaluation_world(w)
    return {"campaign_pk": w.campaign.pk, "carrier_pk": w.self_assessment.carrier_id}


def self_assessment_kwargs(w):
    return {"pk": evaluation_world(w).self_assessment.pk}


TABLE.update({
    "evaluations:mine": ("GET", lambda w: {}, lambda w: w.applicant, APPLICANT_ONLY),
    "evaluations:fill": ("GET", evaluation_fill_kwargs, lambda w: w.applicant, OWN_OBJECT),
    "evaluations:district_list": ("GET", lambda w: {}, lambda w: w.district, DISTRICT_PAGE),
    "evaluations:district_detail": ("GET", self_assessment_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "evaluations:city_campaigns": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "evaluations:campaign_new": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "evaluations:campaign_detail": ("GET", lambda w: {"pk": evaluation_world(w).campaign.pk}, lambda w: w.bj_city,
                                    CITY_OBJECT),
    "evaluations:campaign_edit": ("GET", lambda w: {"pk": evaluation_world(w).campaign.pk}, lambda w: w.bj_city,
                                  CITY_OBJECT),
    "evaluations:city_review": ("GET", self_assessment_kwargs, lambda w: w.bj_city, CITY_OBJECT),
    "evaluations:city_reassess": ("POST", self_assessment_kwargs, lambda w: w.bj_city, CITY_OBJECT),
})


# --- Reporting duties and major changes (carriers.views_duties): the secret unit's BJ station ---
PARTY_PAGE = {"anonymous": 302, "other_applicant": 200, "other_district": 200, "other_city": 200,
              "unassigned_expert": 403}
PARTY_OBJECT = {"anonymous": 302, "other_applicant": 404, "other_district": 404, "other_city": 404,
                "unassigned_expert": 403}
OFFICIAL_PAGE = {"anonymous": 302, "other_applicant": 403, "other_district": 200, "other_city": 200,
                 "unassigned_expert": 403}


def duty_world(w):
    """A station of the secret unit with one submitted report, one still owed, and a change in district review."""
    if not hasattr(w, "duty_carrier"):
        import datetime

        from carriers import changes, reports
        from carriers.models import Carrier

        today = timezone.localdate()
        w.duty_carrier = factories.CarrierFactory(organisation=w.org, number="BJZJTX-2026-0910", valid_until=None,
                                                  valid_from=today - datetime.timedelta(days=400))
        reports.ensure_periods(today)
        rows = list(reports.duty_rows(Carrier.objects.filter(pk=w.duty_carrier.pk), today).order_by("period_due_on"))
        period = reports.owed_period(w.duty_carrier, rows[0].period_id, today)
        w.report = reports.save(w.duty_carrier, period, w.applicant, {"difficulties": SECRET_NAME}, submit=True)
        w.owed_period_id = rows[1].period_id
        w.change = changes.file_change(
            w.duty_carrier, w.applicant, field="name", new_value=f"{SECRET_NAME}服务站", changed_on=today,
            evidence=SimpleUploadedFile("核准通知书.pdf", PDF), evidence_name="核准通知书.pdf", today=today)
    return w


def duty_carrier_kwargs(w):
    return {"pk": duty_world(w).change.pk}


TABLE.update({
    "carriers:duties": ("GET", lambda w: duty_world(w) and {}, lambda w: w.applicant, PARTY_PAGE),
    "carriers:reports": ("GET", lambda w: duty_world(w) and {}, lambda w: w.applicant, APPLICANT_ONLY),
    "carriers:report_edit": ("GET", lambda w: {"carrier_pk": duty_world(w).duty_carrier.pk,
                                               "period_pk": w.owed_period_id}, lambda w: w.applicant, OWN_OBJECT),
    "carriers:report_detail": ("GET", lambda w: {"pk": duty_world(w).report.pk}, lambda w: w.district, PARTY_OBJECT),
    "carriers:reports_overdue": ("GET", lambda w: duty_world(w) and {}, lambda w: w.district, OFFICIAL_PAGE),
    "carriers:reports_overdue_csv": ("GET", lambda w: duty_world(w) and {}, lambda w: w.bj_city, OFFICIAL_PAGE),
    "carriers:reports_received": ("GET", lambda w: duty_world(w) and {}, lambda w: w.district, OFFICIAL_PAGE),
    "carriers:changes": ("GET", lambda w: duty_world(w) and {}, lambda w: w.district, PARTY_PAGE),
    "carriers:change_new": ("GET", lambda w: {"carrier_pk": duty_world(w).duty_carrier.pk}, lambda w: w.applicant,
                            OWN_OBJECT),
    "carriers:change_detail": ("GET", duty_carrier_kwargs, lambda w: w.district, PARTY_OBJECT),
    "carriers:change_evidence": ("GET", duty_carrier_kwargs, lambda w: w.applicant, PARTY_OBJECT),
    "carriers:change_district": ("POST", duty_carrier_kwargs, lambda w: w.district, DISTRICT_OBJECT),
    "carriers:change_decide": ("POST", duty_carrier_kwargs, lambda w: w.bj_city, CITY_OBJECT),
})


RIGHTFUL_STATUS = {"POST": (200, 302, 400), "GET": (200,)}


def project_url_names():
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_table():
    assert project_url_names() - set(TABLE) == set()


def visit(client, user, method, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(url) if method == "POST" else client.get(url)


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_statuses_and_no_leaks(client, world, name):
    method, kwargs, rightful, expected, *own_gz = TABLE[name]
    sees_gz = own_gz[0] if own_gz else set()  # outsiders to the BJ application to whom the GZ one is their own
    url = reverse(name, kwargs=kwargs(world))
    for outsider, status in expected.items():
        response = visit(client, world.outsiders[outsider], method, url)
        assert response.status_code == status, f"{name} as {outsider}: {response.status_code} != {status}"
        body = body_of(response)
        assert SECRET_NAME not in body and world.org.uscc not in body, f"{name} leaks to {outsider}"
        if outsider not in sees_gz:
            assert SECRET_GZ_NAME not in body, f"{name} leaks the GZ application to {outsider}"
    response = visit(client, rightful(world), method, url)
    assert response.status_code in RIGHTFUL_STATUS[method], f"{name} as its rightful user: {response.status_code}"


def test_assigned_expert_sees_exactly_the_assigned_application(client, world):
    client.force_login(world.expert)
    assert client.get(reverse("reviews:detail", args=[world.gz_app.pk])).status_code == 200
    assert client.get(reverse("reviews:detail", args=[world.app.pk])).status_code == 404
    client.force_login(world.outsiders["unassigned_expert"])
    assert client.get(reverse("reviews:detail", args=[world.gz_app.pk])).status_code == 404


# --- Dashboards (reviews.views.dashboards) and public statistics (public.views_statistics): aggregates only ---
TABLE.update({
    "reviews:city_dashboard": ("GET", lambda w: {}, lambda w: w.bj_city, CITY_ONLY),
    "reviews:district_dashboard": ("GET", lambda w: {}, lambda w: w.district, DISTRICT_PAGE),
    "statistics": ("GET", lambda w: {}, lambda w: None, PUBLIC),
})
