"""Every form works without JavaScript; with JavaScript, nothing typed is lost on a validation error.

Each form below is one case in ``CASES``: it arranges its precondition with the factories and says who signs
in, what to type (with one required field empty or invalid), the Chinese message the server answers with,
and what completes the input. ``test_form_works_without_javascript`` submits the wrong input with JavaScript
off and checks the message, that the database did not change and that the typed values are shown again, then
submits valid input and checks the result. ``test_form_keeps_input_with_javascript`` repeats the error case
for the forms that carry JavaScript (the unsaved-changes warning of ``static/js/portal.js``, the live
eligibility panel of ``static/js/eligibility-live.js``) and for registration, the self-check and the public
objection form. ``test_declaration_section_keeps_invalid_input_across_leaving_the_page`` follows a section
through the live panel, the unsaved-changes warning and its draft kept on the server (Application.drafts).
Passwords and chosen files are never sent back to the browser, by design; forms with nothing to refuse
(a confirm button, a search filter) are submitted once and their result checked.

Inventory (template → case):

    accounts/register.html                  registration
    accounts/login.html                     login
    includes/header.html                    logout
    accounts/password_change.html           password_change
    accounts/password_reset.html            password_reset
    accounts/password_reset_confirm.html    password_reset_confirm
    accounts/organisation.html              member_add, member_toggle
    applications/round_detail.html          start_application (also on my_applications.html: same view)
    applications/section.html               section_basic, section_facts, section_carrier, section_liaison
    applications/attachments.html           attachment_upload
    applications/submit.html                submit_application
    applications/detail.html                withdraw_application
    applications/round_form.html            round_new
    applications/manage_round_detail.html   round_attachment
    reviews/district/panel.html             district_return, district_reject, district_list_add,
                                            district_list_remove
    reviews/district/list.html              district_list_entries, district_list_move, district_list_submit
    reviews/district/queue.html             district_queue_filter (GET)
    reviews/hub/assign_form.html            hub_assign
    reviews/hub/application.html            hub_compile, hub_remove
    reviews/expert/panel.html               expert_score
    reviews/city/panel.html                 city_shortlist, city_reject
    reviews/city/queue.html                 city_queue_filter (GET)
    reviews/notices/new.html                notice_publish
    reviews/public_notices/object.html      public_objection
    reviews/notices/objection_detail.html   objection_decision
    reviews/announcements/new.html          announcement
    reviews/announcements/hub.html          hub_designation
    evaluations/campaign_form.html          campaign_new, campaign_edit
    evaluations/fill.html                   self_assessment
    evaluations/district_detail.html        district_opinion
    evaluations/city_review.html            city_review, city_reassess
    carriers/duties/report_form.html        report
    carriers/duties/change_new.html         change_new
    carriers/duties/change_detail.html      change_district, change_decide
    carriers/revocation/revoke.html         revoke
    carriers/revocation/withdraw_request.html  withdraw_request
    carriers/revocation/list.html           city_carriers_filter (GET)
    carriers/eligibility_check.html         eligibility_check
    public/verify.html, public/home.html    verify, home_verify (GET)
    public/carrier_list.html                carrier_list_filter (GET)
    includes/utility_bar.html               display_preferences, language

Not here: the Django admin's own forms (administrators only, Django's pages); the change evidence
(``carriers:change_evidence``) is a download link, not a form.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Locator, Page, expect

from accounts.models import Organisation, User
from applications.models import Application, Attachment, Round
from carriers import changes, reports
from carriers.models import Carrier, CarrierEvent, ChangeRequest, ServiceReport
from evaluations import services as evaluation_services
from evaluations.forms import BjStationSelfAssessmentForm
from evaluations.models import EvaluationCampaign, Result, SelfAssessment
from reviews import district as district_service
from reviews import experts as expert_service
from reviews import notices as notice_service
from reviews.models import (
    Announcement,
    ExpertAssignment,
    ExpertReviewSummary,
    Objection,
    PublicNotice,
    RecommendationEntry,
    RecommendationList,
)
from tests import factories
from tests.applications.test_declaration import PDF, STATION_FACTS, fill_all
from tests.carriers.test_changes import gz_carrier
from tests.e2e.helpers import log_in
from tests.evaluations.helpers import STATION_DATA, campaign, submitted
from tests.reviews.test_announcements import approved
from tests.reviews.test_city import recommended
from tests.reviews.test_experts import FULL_MARKS, gz_application
from tests.reviews.test_notices import shortlisted

CJK = re.compile(r"[\u4e00-\u9fff]")
ERROR_TEXTS = ".invalid-feedback, .alert-danger, .alert-warning, .text-danger, .errorlist"
NOT_PDF = b"This is a plain text file, not a PDF.\n"
QUESTION = re.compile("请回答")  # the objection form's arithmetic question
BLANK = "   "  # gets past a textarea's HTML "required" (checked by the browser itself), so the server must refuse it


@dataclass(frozen=True)
class Secret:
    """A password: typed, and never shown again (Django does not render a password back)."""

    text: str


@dataclass(frozen=True)
class Upload:
    """A file chosen in a file input; browsers never let a page pre-fill one, so it cannot be kept."""

    name: str
    content: bytes = PDF

    def payload(self):
        mime = "application/pdf" if self.name.endswith(".pdf") else "application/octet-stream"
        return {"name": self.name, "mimeType": mime, "buffer": self.content}


# A value typed into a field: text (or an option's text for a select), True/False for a checkbox or radio,
# a Secret, an Upload, or a function of the page (e.g. the answer to the objection form's question).
Value = str | bool | Secret | Upload | Callable[[Page], str]
Label = str | re.Pattern


@dataclass
class FormCase:
    """One form: where it is, who uses it, what to type, what the server says, what must (not) change."""

    url: str
    user: User | None
    state: Callable[[], object]  # the rows the form changes, read again from the database
    invalid: dict[Label, Value] | None  # typed with one required field empty or invalid; None: nothing to refuse
    error: str | None  # the Chinese message answering the invalid input
    valid: dict[Label, Value] = field(default_factory=dict)  # typed on top of the kept input to complete it
    success: str | Callable[[Page], None] = ""  # the text shown after the valid submission (or a check)
    button: str = "提交"
    scope: str = "main form"  # the form, when the page has several
    kept: dict[Label, Value] | None = None  # shown again after the error (default: the invalid input)
    changes: bool = True  # a valid submission changes the database


CASES: dict[str, Callable[[], FormCase]] = {}
WITH_JAVASCRIPT: list[str] = []


def case(*, javascript: bool = False):
    """Registers a case; ``javascript``: the page runs JavaScript on the form (or is a public form)."""

    def register(arrange):
        CASES[arrange.__name__] = arrange
        if javascript:
            WITH_JAVASCRIPT.append(arrange.__name__)
        return arrange

    return register


# --- Filling in and checking fields -------------------------------------------------------------------------


def field_of(form: Locator, label: Label) -> Locator:
    """The control labelled exactly ``label`` (crispy's required asterisk allowed), or matching a pattern."""
    if isinstance(label, str):
        label = re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")
    return form.get_by_label(label)


def is_select(control: Locator) -> bool:
    return control.evaluate("element => element.tagName") == "SELECT"


def fill_in(form: Locator, values: dict[Label, Value]) -> None:
    for label, value in values.items():
        control = field_of(form, label)
        if callable(value):
            value = value(form.page)
        if isinstance(value, Upload):
            control.set_input_files(value.payload())
        elif isinstance(value, bool):
            control.set_checked(value)
        elif isinstance(value, Secret):
            control.fill(value.text)
        elif is_select(control):
            control.select_option(label=value)
        else:
            control.fill(value)


def expect_kept(form: Locator, values: dict[Label, Value]) -> None:
    """The typed values are in the fields again; passwords are empty."""
    for label, value in values.items():
        control = field_of(form, label)
        if isinstance(value, Upload) or callable(value):
            continue
        if isinstance(value, Secret):
            expect(control).to_have_value("")
        elif isinstance(value, bool):
            expect(control).to_be_checked(checked=value)
        elif is_select(control):
            expect(control.locator("option:checked")).to_have_text(value)
        else:
            expect(control).to_have_value(value)


def expect_chinese_error(page: Page, message: str) -> None:
    expect(page.get_by_text(message).first).to_be_visible()
    for text in page.locator(ERROR_TEXTS).all_inner_texts():
        assert not text.strip() or CJK.search(text), f"error text without Chinese: {text!r}"


def form_of(page: Page, the_case: FormCase) -> Locator:
    return page.locator(the_case.scope)


def submit(page: Page, the_case: FormCase) -> None:
    form_of(page, the_case).get_by_role("button", name=the_case.button, exact=True).click()


def open_form(page: Page, the_case: FormCase) -> None:
    if the_case.user is not None:
        log_in(page, the_case.user.username, factories.PASSWORD)
    page.goto(the_case.url)
    expect(form_of(page, the_case)).to_be_visible()


def refuse_invalid_input(page: Page, the_case: FormCase, steps) -> None:
    """Types the invalid input, submits it and checks the message, the unchanged rows and the kept input."""
    before = the_case.state()
    fill_in(form_of(page, the_case), the_case.invalid)
    steps.shot(page, "填写有误的内容")
    submit(page, the_case)
    expect_chinese_error(page, the_case.error)
    steps.shot(page, "服务器校验提示")
    assert the_case.state() == before, "a refused submission changed the database"
    expect_kept(form_of(page, the_case), the_case.invalid if the_case.kept is None else the_case.kept)


def expect_success(page: Page, the_case: FormCase) -> None:
    if callable(the_case.success):
        the_case.success(page)
    else:
        expect(page.get_by_text(the_case.success).first).to_be_visible()


def record_dialogs(page: Page) -> list[str]:
    """Dialogs the page opens (e.g. the unsaved-changes warning), accepted so that nothing hangs."""
    seen = []

    def handle(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", handle)
    return seen


# --- Small helpers of the cases ----------------------------------------------------------------------------


def today():
    return timezone.localdate()


def day(offset: int = 0) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def applicant(organisation=None, **kwargs):
    return factories.ApplicantFactory(organisation=organisation or factories.OrganisationFactory(),
                                      is_org_admin=True, **kwargs)


def answer_the_question(page: Page) -> str:
    """The objection form's arithmetic question, answered."""
    label = page.get_by_text(QUESTION).inner_text()
    first, second = re.search(r"(\d+) 加 (\d+)", label).groups()
    return str(int(first) + int(second))


def html_has_class(name: str) -> Callable[[Page], None]:
    return lambda page: expect(page.locator("html")).to_have_class(re.compile(rf"\b{name}\b"))


def filtered(shown: str, hidden: str, values: dict[Label, Value]) -> Callable[[Page], None]:
    """A GET filter: the matching row is listed, the other one not, and the filter keeps what was typed."""

    def check(page):
        expect(page.get_by_role("cell", name=shown).first).to_be_visible()
        expect(page.get_by_role("cell", name=hidden)).to_have_count(0)
        expect_kept(page.locator("main form"), values)

    return check


def state_of(model, pk, *fields):
    return model.objects.values_list(*fields).get(pk=pk)


def count(queryset):
    return lambda: queryset.count()


# --- Accounts ----------------------------------------------------------------------------------------------


@case(javascript=True)
def registration():
    return FormCase(
        "/accounts/register/", None, lambda: (Organisation.objects.count(), User.objects.count()),
        invalid={"单位名称": "表单测试科技有限公司", "统一社会信用代码": factories.uscc_for(7001),
                 "注册所在区": "北京市 · 海淀区", "成立日期": "2019-05-06", "法定代表人": "王表单",
                 "注册地址": "北京市海淀区表单路8号", "联系人": "赵联系", "联系电话": "电话号码",
                 "联系邮箱": "contact@biaodan.example.com", "用户名": "biaodan_admin", "管理员姓名": "赵管理",
                 "管理员手机号码": "13800001111", "管理员邮箱": "admin@biaodan.example.com",
                 "登录密码": Secret("Zhuce#Form2026"), "确认密码": Secret("Zhuce#Form2026")},
        error="请输入有效的电话号码",
        valid={"联系电话": "010-61234567", "登录密码": Secret("Zhuce#Form2026"), "确认密码": Secret("Zhuce#Form2026")},
        success="注册成功", button="提交注册")


@case()
def login():
    user = factories.ApplicantFactory(username="form_login")
    return FormCase(
        "/accounts/login/", None, lambda: state_of(User, user.pk, "last_login"),
        invalid={"用户名": "form_login", "密码": Secret("Wrong#Password1")}, error="用户名或密码不正确",
        valid={"密码": Secret(factories.PASSWORD)}, success="退出登录", button="登录")


@case()
def logout():
    return FormCase("/", factories.ApplicantFactory(), lambda: None, invalid=None, error=None,
                    success=lambda page: expect(page.get_by_role("banner").get_by_text("登录")).to_be_visible(),
                    button="退出登录", scope="header form", changes=False)


@case()
def password_change():
    user = factories.ApplicantFactory()
    return FormCase(
        "/accounts/password/change/", user, lambda: state_of(User, user.pk, "password"),
        invalid={"旧密码": Secret("Not#MyPassword1"), "新密码": Secret("Neues#Kennwort26"),
                 "新密码确认": Secret("Neues#Kennwort26")},
        error="你的旧密码不正确",
        valid={"旧密码": Secret(factories.PASSWORD), "新密码": Secret("Neues#Kennwort26"),
               "新密码确认": Secret("Neues#Kennwort26")},
        success="您的密码已修改成功。", button="确认修改")


@case()
def password_reset():
    factories.ApplicantFactory(email="forgot@example.com")
    return FormCase(
        "/accounts/password/reset/", None, lambda: len(mail.outbox),
        invalid={"电子邮件": "forgot-at-example.com"}, error="输入一个有效的 Email 地址。",
        valid={"电子邮件": "forgot@example.com"}, success="如该邮箱已注册", button="发送重设链接")


@case()
def password_reset_confirm():
    user = factories.ApplicantFactory()
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    return FormCase(
        f"/accounts/password/reset/{uid}/{token}/", None, lambda: state_of(User, user.pk, "password"),
        invalid={"新密码": Secret("Neues#Kennwort26"), "新密码确认": Secret("Neues#Kennwort27")},
        error="输入的两个密码不一致。",
        valid={"新密码": Secret("Neues#Kennwort26"), "新密码确认": Secret("Neues#Kennwort26")},
        success="密码已重设", button="设置新密码")


@case(javascript=True)
def member_add():
    admin = applicant()
    return FormCase(
        "/accounts/organisation/", admin, count(User.objects.filter(organisation=admin.organisation)),
        invalid={"用户名": "jingbanren01", "姓名": "钱经办", "手机号码": "12", "邮箱": "qian@example.com",
                 "登录密码": Secret("Qian#Jingban26"), "确认密码": Secret("Qian#Jingban26"), "设为单位管理员": True},
        error="请输入有效的电话号码",
        valid={"手机号码": "13900002222", "登录密码": Secret("Qian#Jingban26"), "确认密码": Secret("Qian#Jingban26")},
        success="已为 钱经办 开通账号。", button="添加", scope="form[action$='/members/add/']")


@case()
def member_toggle():
    admin = applicant()
    member = factories.ApplicantFactory(organisation=admin.organisation, real_name="孙经办")
    return FormCase("/accounts/organisation/", admin, lambda: state_of(User, member.pk, "is_active"),
                    invalid=None, error=None, success="已停用 孙经办 的账号。", button="停用",
                    scope=f"form[action$='/members/{member.pk}/toggle/']")


# --- The declaration ---------------------------------------------------------------------------------------


def draft_application(type_code="bj_srdi_station"):
    user = applicant()
    app = factories.ApplicationFactory(round=factories.RoundFactory(type_code=type_code),
                                       organisation=user.organisation, created_by=user)
    return user, app


def section_url(app, key):
    return f"/applications/{app.pk}/sections/{key}/"


def saved(app, *fields):
    return lambda: state_of(Application, app.pk, *fields)


@case()
def start_application():
    user = applicant()
    round_ = factories.RoundFactory()
    return FormCase(f"/rounds/{round_.pk}/", user, count(Application.objects.filter(round=round_)),
                    invalid=None, error=None, success="已创建申报草稿", button="在线申报",
                    scope="form[action$='/apply/']")


@case(javascript=True)
def section_basic():
    user, app = draft_application()
    return FormCase(
        section_url(app, "basic"), user,
        saved(app, "legal_representative", "address", "contact_name", "contact_phone", "contact_email"),
        invalid={"法定代表人": "王表单", "注册地址": "北京市海淀区表单路8号", "联系人": "赵表单",
                 "联系电话": "没有电话", "联系邮箱": "biaodan@example.com"},
        error="请输入有效的电话号码", valid={"联系电话": "010-62345678"}, success="“基本信息”已保存。",
        button="保存（暂存）")


@case(javascript=True)
def section_facts():
    user, app = draft_application()
    return FormCase(
        section_url(app, "facts"), user, saved(app, "facts"),
        invalid={"是否具有独立法人资格": "是", "注册地": "北京市", "成立日期": "2018-03-12",
                 "固定办公场所面积（平方米）": "-5", "具有相关专业知识及经验的专职人员（名）": "4"},
        error="固定办公场所面积不能为负数。", valid={"固定办公场所面积（平方米）": "120"},
        success="“申报条件”已保存。", button="保存（暂存）")


@case(javascript=True)
def section_carrier():
    user, app = draft_application()
    return FormCase(
        section_url(app, "carrier"), user, saved(app, "carrier_name", "service_plan", "work_rules"),
        invalid={"载体名称": "智造创新中心",
                 "服务方案": "服务目标：服务专精特新企业。服务内容和实施计划：政策宣贯。工作保障措施：专人负责。",
                 "工作制度": "工作流程、服务标准、人员管理制度。"},
        error="服务站名称应由“公司简称”加“服务站”构成", valid={"载体名称": "智造创新服务站"},
        success="“载体名称与服务方案”已保存。", button="保存（暂存）")


@case(javascript=True)
def section_liaison():
    user, app = draft_application()
    return FormCase(
        section_url(app, "liaison"), user, saved(app, "liaison_name", "liaison_phone", "liaison_email"),
        invalid={"联络员电话": "13800138000", "联络员邮箱": "liaison@example.com"},
        error="这个字段是必填项。", valid={"联络员姓名": "李联络"}, success="“联络员”已保存。",
        button="保存（暂存）")


@case()
def attachment_upload():
    user, app = draft_application()
    return FormCase(
        f"/applications/{app.pk}/attachments/", user, count(Attachment.objects.filter(application=app)),
        invalid={re.compile("营业执照"): Upload("营业执照.pdf", NOT_PDF)}, error="内容不是 PDF 文件",
        valid={re.compile("营业执照"): Upload("营业执照.pdf")}, success="已上传“营业执照",
        button="上传", scope="form:has(input[name='slot'][value='business_license'])")


@case(javascript=True)
def submit_application():
    user, app = draft_application()
    client = Client()
    client.force_login(user)
    fill_all(client, app, facts={**STATION_FACTS, "legal_person": "false"})  # a general condition not met
    return FormCase(
        f"/applications/{app.pk}/submit/", user, saved(app, "state", "declaration_signed", "explanations"),
        invalid={re.compile("书面说明"): "本单位为集团下属分支机构，由集团授权承担服务站工作。"},
        error="请勾选承诺书后再提交。", valid={re.compile("本单位承诺"): True}, success="申报已提交至",
        button="签署承诺并提交申报")


@case()
def withdraw_application():
    user = applicant()
    app = factories.submitted_application(organisation=user.organisation)
    return FormCase(
        f"/applications/{app.pk}/", user, saved(app, "state", "version"),
        invalid={"撤回原因（必填）": BLANK}, kept={}, error="请填写撤回原因。",
        valid={"撤回原因（必填）": "发现申报材料有误，撤回后重新申报。"}, success="申报已撤回。", button="撤回",
        scope="form[action$='/withdraw/']")


# --- Rounds (city) -----------------------------------------------------------------------------------------


@case(javascript=True)
def round_new():
    return FormCase(
        "/manage/rounds/new/", factories.CityReviewerFactory(city="beijing"), count(Round.objects),
        invalid={"载体类型": "北京市专精特新企业服务站", "年度": "2031", "文号": "京经信发〔2031〕1号",
                 "申报开始日期": day(1), "申报截止日期": day(30), "区级推荐截止日期": day(45),
                 "通知正文": "请符合条件的单位在申报期内在线填报（表单测试）。"},
        error="这个字段是必填项。", valid={"通知标题": "关于开展2031年度服务站申报工作的通知"},
        success="已保存申报批次", button="保存")


@case()
def round_attachment():
    round_ = factories.RoundFactory()
    return FormCase(
        f"/manage/rounds/{round_.pk}/", factories.CityReviewerFactory(city="beijing"),
        count(round_.attachments.all()),
        invalid={"附件名称": "申报指南（表单测试）", re.compile("文件"): Upload("申报指南.pdf", NOT_PDF)},
        error="内容不是 PDF 文件", valid={re.compile("文件"): Upload("申报指南.pdf")},
        success="已上传附件“申报指南（表单测试）”", button="上传附件", scope="form[action$='/attachments/']")


# --- District review ---------------------------------------------------------------------------------------


def in_district_review():
    return factories.DistrictOfficerFactory(district_code="110108"), factories.submitted_application()


@case()
def district_return():
    officer, app = in_district_review()
    return FormCase(
        f"/review/{app.pk}/", officer, saved(app, "state", "version"),
        invalid={"退回原因（必填，申报单位可见）": BLANK}, kept={}, error="“退回修改”须填写理由。",
        valid={"退回原因（必填，申报单位可见）": "请补充上年度服务企业清单。"}, success="已退回申报单位修改",
        button="退回修改", scope="form[action$='/return/']")


@case()
def district_reject():
    officer, app = in_district_review()
    return FormCase(
        f"/review/{app.pk}/", officer, saved(app, "state", "version"),
        invalid={"不予推荐的理由（必填，申报单位可见）": BLANK}, kept={}, error="“不予通过”须填写理由。",
        valid={"不予推荐的理由（必填，申报单位可见）": "办公场所面积不足100平方米。"}, success="已作出不予推荐决定",
        button="不予推荐", scope="form[action$='/reject/']")


@case()
def district_list_add():
    officer, app = in_district_review()
    return FormCase(
        f"/review/{app.pk}/", officer, count(RecommendationEntry.objects.filter(application=app)),
        invalid=None, error=None, valid={"推荐理由（选填，可在名单页修改）": "服务能力突出，建议推荐。"},
        success="已列入本区推荐名单", button="列入推荐名单", scope="form[action$='/list/add/']")


def on_the_list(*names):
    """A district officer and applications of the officer's district on its draft list, in this order."""
    officer = factories.DistrictOfficerFactory(district_code="110108")
    round_ = factories.RoundFactory()
    apps = []
    for name in names:
        app = factories.submitted_application(
            round=round_, organisation=factories.OrganisationFactory(name=name), applicant_name=name)
        district_service.add_to_list(app.pk, officer, app.version)
        apps.append(app)
    return officer, round_, apps


def list_rows(round_):
    return lambda: list(RecommendationEntry.objects.filter(recommendation_list__round=round_)
                        .order_by("rank").values_list("application__applicant_name", "note"))


@case()
def district_list_remove():
    officer, _round, (app,) = on_the_list("移出测试有限公司")
    return FormCase(f"/review/{app.pk}/", officer, count(RecommendationEntry.objects.filter(application=app)),
                    invalid=None, error=None, success="已移出推荐名单。", button="移出推荐名单",
                    scope="form[action$='/list/remove/']")


@case()
def district_list_entries():
    officer, round_, _apps = on_the_list("甲表单有限公司", "乙表单有限公司")
    return FormCase(
        f"/district/rounds/{round_.pk}/list/", officer, list_rows(round_), invalid=None, error=None,
        valid={"乙表单有限公司的排序": "1.0",  # a whole number, as the browser's number field lets it through
               "甲表单有限公司的推荐理由": "服务企业数量多。",
               "乙表单有限公司的推荐理由": "专精特新服务突出。"},
        success="推荐名单的排序与推荐理由已保存。", button="保存排序与推荐理由",
        scope="form[action$='/list/entries/']")


@case()
def district_list_move():
    officer, round_, _apps = on_the_list("甲表单有限公司", "乙表单有限公司")
    return FormCase(f"/district/rounds/{round_.pk}/list/", officer, list_rows(round_), invalid=None, error=None,
                    success="推荐名单的排序已调整。", button="↓ 下移 甲表单有限公司",
                    scope="form[action$='/list/entries/']")


@case()
def district_list_submit():
    officer, round_, (app,) = on_the_list("报送表单有限公司")
    the_list = RecommendationList.objects.get(round=round_)
    opinion = "推荐意见（区主管部门意见，写入推荐函）"
    return FormCase(
        f"/district/rounds/{round_.pk}/list/", officer,
        lambda: (state_of(RecommendationList, the_list.pk, "status"), state_of(Application, app.pk, "state")),
        invalid={opinion: "经审核，同意推荐以上单位。"}, error="请勾选“已核对名单，确认报送”后再报送；推荐意见已保存。",
        valid={"已核对名单，确认报送": True}, success="推荐名单已报送", button="报送市级",
        scope="form[action$='/list/submit/']")


@case()
def district_queue_filter():
    officer, app = in_district_review()
    recommended_already = factories.submitted_application(state="city_review")
    return FormCase("/district/queue/", officer, lambda: None, invalid=None, error=None, valid={"状态": "区级初审"},
                    success=filtered(app.number, recommended_already.number, {"状态": "区级初审"}),
                    button="筛选", changes=False)


# --- Guangzhou expert review -------------------------------------------------------------------------------


def gz_experts(n=3):
    return [factories.ExpertFactory(city="guangzhou", real_name=f"广州专家{i}") for i in range(n)]


def assignments(app):
    return lambda: (state_of(Application, app.pk, "state"), ExpertAssignment.objects.filter(application=app).count())


@case()
def hub_assign():
    hub, app, _experts = factories.HubCoordinatorFactory(), gz_application(), gz_experts()
    return FormCase(
        f"/hub/applications/{app.pk}/", hub, assignments(app),
        invalid={re.compile("广州专家0"): True}, error="专家评审至少须分配 2 名评审专家。",
        valid={re.compile("广州专家1"): True}, success="已分配评审专家", button="分配并通知专家",
        scope="form[action$='/assign/']")


def in_expert_review(scored=False):
    hub, app, experts = factories.HubCoordinatorFactory(), gz_application(), gz_experts()
    chosen = experts[:2] if scored else experts
    expert_service.assign_experts(app.pk, chosen, hub)
    if scored:
        for expert in chosen:
            expert_service.save_scores(app.pk, expert, FULL_MARKS, "材料完整，服务能力突出，同意推荐。", final=True)
    return hub, app, experts


@case()
def hub_compile():
    hub, app, _experts = in_expert_review(scored=True)
    return FormCase(
        f"/hub/applications/{app.pk}/", hub,
        lambda: (state_of(Application, app.pk, "state"), ExpertReviewSummary.objects.filter(application=app).count()),
        invalid={"不推荐认定": True, "调整理由": "两位专家对服务场所的评价有保留，建议暂不认定。"},
        error="请填写服务总站的推荐意见。",
        valid={"推荐意见（必填）": "服务场所尚待核实，不推荐认定。"}, success="专家评审意见已汇总",
        button="汇总并报送市工业和信息化局", scope="form[action$='/compile/']")


@case()
def hub_remove():
    hub, app, experts = in_expert_review()
    return FormCase(f"/hub/applications/{app.pk}/", hub, assignments(app), invalid=None, error=None,
                    success="已移除该评审专家", button="移除",
                    scope=f"form[action$='/remove/']:has(input[name='expert'][value='{experts[2].pk}'])")


@case(javascript=True)
def expert_score():
    _hub, app, experts = in_expert_review()
    assignment = ExpertAssignment.objects.get(application=app, expert=experts[0])
    return FormCase(
        f"/review/{app.pk}/", experts[0], lambda: state_of(ExpertAssignment, assignment.pk, "scores", "submitted_at"),
        invalid={"民营和中小企业服务能力": "35", "民营和中小企业服务经验": "20", "在区域、行业中的影响力和知名度": "15",
                 "服务管理制度和服务架构": "10", "服务场所、办公条件与专职人员配备": "8",
                 re.compile("评审意见"): "服务能力较强，服务经验丰富，建议认定。"},
        error="“民营和中小企业服务能力”的得分不能超过满分 30 分。", valid={"民营和中小企业服务能力": "28"},
        success="评分已提交。感谢您的评审！", button="提交评分", scope="form[action$='/score/']")


# --- City review, notices, objections, announcements -------------------------------------------------------


@case()
def city_shortlist():
    app = recommended()
    return FormCase(f"/review/{app.pk}/", factories.CityReviewerFactory(city="beijing"), saved(app, "state"),
                    invalid=None, error=None, valid={"拟认定意见（选填）": "材料齐全，符合认定条件。"},
                    success="已列入拟认定名单", button="拟认定",
                    scope="form[action$='/decide/']:has(input[name='action'][value='shortlist'])")


@case()
def city_reject():
    app = recommended()
    label = "不予认定的理由（必填，将告知申报单位）"
    return FormCase(f"/review/{app.pk}/", factories.CityReviewerFactory(city="beijing"), saved(app, "state"),
                    invalid={label: BLANK}, kept={}, error="“不予通过”须填写理由。",
                    valid={label: "服务空间面积不足1000平方米。"}, success="已作出不予认定决定", button="不予认定",
                    scope="form[action$='/decide/']:has(input[name='action'][value='reject'])")


@case()
def city_queue_filter():
    chaoyang, haidian = recommended(district="110105"), recommended(district="110108")
    return FormCase("/city/queue/", factories.CityReviewerFactory(city="beijing"), lambda: None, invalid=None,
                    error=None, valid={"所属区": "朝阳区"},
                    success=filtered(chaoyang.number, haidian.number, {"所属区": "朝阳区"}),
                    button="筛选", changes=False)


@case()
def notice_publish():
    round_ = factories.RoundFactory()
    first, second = shortlisted(round_, "110108", 1), shortlisted(round_, "110105", 2)
    return FormCase(
        f"/city/notices/new/?round={round_.pk}", factories.CityReviewerFactory(city="beijing"),
        lambda: (PublicNotice.objects.count(), state_of(Application, first.pk, "state")),
        invalid={"公示标题": "关于表单测试拟认定名单的公示", "文号": "", re.compile(second.applicant_name): False},
        error="这个字段是必填项。", valid={"文号": "京经信公示〔2026〕77号"}, success="公示已发布", button="发布公示")


def open_notice():
    reviewer = factories.CityReviewerFactory(city="beijing")
    round_ = factories.RoundFactory()
    app = shortlisted(round_, "110108", 1)
    notice = notice_service.publish(reviewer, round_.pk, title="拟认定名单公示（表单测试）",
                                    document_number="京经信公示〔2026〕88号", body="现予公示。",
                                    objection_contact="中小企业处 010-55550000", application_ids=[app.pk])
    return reviewer, notice, notice.entries.get()


@case(javascript=True)
def public_objection():
    _reviewer, notice, entry = open_notice()
    return FormCase(
        f"/notices/{notice.pk}/object/", None, count(Objection.objects),
        invalid={"异议对象（公示名单中的单位）": f"1. {entry.unit_name}（{entry.carrier_name}）",
                 "以个人名义（须署实名）": True, "单位名称 / 真实姓名": "周异议", "联系电话": "010-66668888",
                 "联系邮箱": "zhou@example.com", "异议事实和理由": "材料不实。", QUESTION: answer_the_question},
        error="异议事实和理由过于简略",
        valid={"异议事实和理由": "该单位申报的服务场所面积与实际不符，实际面积不足一百平方米，请核查。",
               QUESTION: answer_the_question},
        success="异议已提交", button="提交异议")


@case()
def objection_decision():
    reviewer, _notice, entry = open_notice()
    objection = Objection.objects.create(
        entry=entry, kind=Objection.Kind.INDIVIDUAL, objector_name="吴异议", contact_phone="010-66668888",
        contact_email="wu@example.com", facts="该单位服务场所面积与申报不符，请予核查。")
    return FormCase(
        f"/city/objections/{objection.pk}/", reviewer, lambda: state_of(Objection, objection.pk, "status"),
        invalid={"理由": "经实地核查，服务场所面积与申报一致。"}, error="请选择异议成立或不成立。",
        valid={"异议不成立": True}, success="处理结果已记录", button="提交处理结果")


@case(javascript=True)
def announcement():
    round_ = factories.RoundFactory()
    first = approved(round_)
    approved(round_)
    return FormCase(
        f"/city/announcements/new/{round_.pk}/", factories.CityReviewerFactory(city="beijing"),
        lambda: (Announcement.objects.count(), state_of(Application, first.pk, "state")),
        invalid={"公告标题": "关于公布表单测试认定名单的公告", "公告正文": "现将认定名单予以公告（表单测试）。"},
        error="这个字段是必填项。", valid={"文号": "京经信发〔2026〕99号"}, success="公告已发布", button="发布公告")


@case(javascript=True)
def hub_designation():
    gz_unit = factories.OrganisationFactory(district_code="440106")
    bj_unit = factories.OrganisationFactory(district_code="110108")
    hubs = Carrier.objects.filter(carrier_type__code="gz_hub_station")
    return FormCase(
        "/city/hub/", factories.CityReviewerFactory(city="guangzhou"), count(hubs),
        invalid={"承担单位统一社会信用代码": bj_unit.uscc, "委托文件文号": "穗工信函〔2026〕9号",
                 "委托期限起": day(), "委托期限至": day(365), "同时终止现任服务总站的委托": True},
        error="服务总站须由广州市的单位承担。", valid={"承担单位统一社会信用代码": gz_unit.uscc},
        success="承担服务总站工作", button="确认委托")


# --- Annual evaluation -------------------------------------------------------------------------------------


@case(javascript=True)
def campaign_new():
    return FormCase(
        "/city/evaluations/new/", factories.CityReviewerFactory(city="beijing"), count(EvaluationCampaign.objects),
        invalid={"载体类型": "北京市专精特新企业服务站", "评价年度": str(today().year),
                 "工作要求": "请于截止日期前在线提交自评（表单测试）。"},
        error="请填写自评截止日期。", valid={"自评截止日期": day(20)}, success="已发起", button="保存")


@case()
def campaign_edit():
    the_campaign = campaign()
    return FormCase(
        f"/city/evaluations/{the_campaign.pk}/edit/", factories.CityReviewerFactory(city="beijing"),
        lambda: state_of(EvaluationCampaign, the_campaign.pk, "self_assessment_deadline", "notes"),
        invalid={"自评截止日期": day(-1), "工作要求": "截止日期顺延，请各服务站按时提交（表单测试）。"},
        error="自评截止日期不能早于今天", valid={"自评截止日期": day(25)}, success="已修改", button="保存")


@case(javascript=True)
def self_assessment():
    user = applicant()
    carrier = factories.CarrierFactory(organisation=user.organisation)
    the_campaign = campaign()
    labels = {name: BjStationSelfAssessmentForm.base_fields[name].label for name in STATION_DATA}
    return FormCase(
        f"/evaluations/{the_campaign.pk}/carriers/{carrier.pk}/", user,
        lambda: list(SelfAssessment.objects.filter(carrier=carrier).values_list("data", "submitted_at")),
        invalid={labels[name]: value for name, value in {**STATION_DATA, "services_delivered": "-3"}.items()},
        error="开展服务（次）不能为负数。", valid={labels["services_delivered"]: "120"}, success="自评已提交。")


@case()
def district_opinion():
    assessment = submitted()
    return FormCase(
        f"/district/evaluations/{assessment.pk}/", factories.DistrictOfficerFactory(district_code="110108"),
        lambda: state_of(SelfAssessment, assessment.pk, "district_opinion"), invalid={},
        error="请填写区级跟踪意见。", valid={"区级跟踪意见": "服务站按计划开展服务，目标完成情况良好。"},
        success="已保存区级跟踪意见。", button="保存跟踪意见")


@case()
def city_review():
    assessment = submitted()
    return FormCase(
        f"/city/evaluations/assessments/{assessment.pk}/", factories.CityReviewerFactory(city="beijing"),
        lambda: state_of(SelfAssessment, assessment.pk, "result"),
        invalid={"不合格": True}, error="评价结果为不合格时请填写复核意见。",
        valid={"合格": True, "复核意见": "各项指标完成良好。"}, success="复核结果已保存。", button="保存复核结果")


@case()
def city_reassess():
    reviewer = factories.CityReviewerFactory(city="guangzhou")
    assessment = submitted("gz_service_station")
    evaluation_services.review(assessment.pk, reviewer, {"result": Result.FAILED, "comment": "宣讲次数不足。",
                                                         "rectification_until": today() + timedelta(days=30)})
    return FormCase(
        f"/city/evaluations/assessments/{assessment.pk}/", reviewer,
        lambda: state_of(SelfAssessment, assessment.pk, "reassessment_result"),
        invalid={"复核意见": "整改后已补开宣讲三场。"}, error="请选择评价结果。", valid={"合格": True},
        success="整改后考核结果已保存。", button="保存整改后考核结果", scope="form[action$='/reassess/']")


# --- Reports, changes, revocation --------------------------------------------------------------------------


@case(javascript=True)
def report():
    user = applicant()
    carrier = factories.CarrierFactory(organisation=user.organisation, valid_until=None,
                                       valid_from=today() - timedelta(days=400))
    reports.ensure_periods(today())
    period_pk = reports.duty_rows(Carrier.objects.filter(pk=carrier.pk), today()).order_by(
        "period_due_on").first().period_id
    return FormCase(
        f"/duties/reports/{carrier.pk}/{period_pk}/", user,
        lambda: list(ServiceReport.objects.filter(carrier=carrier).values_list("data", "submitted_at")),
        invalid={"固定联络员": "李联络", "联络员电话": "13800138000", "本季度开展服务（次）": "30",
                 "服务企业数（家）": "12", "其中专精特新企业数（家）": "20", "组织活动（场）": "3",
                 "服务开展情况": "开展政策宣讲和融资对接。", "收集的企业困难和诉求（第十条）": "无"},
        error="专精特新企业数不能多于服务企业总数。", valid={"其中专精特新企业数（家）": "8"},
        success="报告已提交。", button="提交")


@case(javascript=True)
def change_new():
    user = applicant()
    carrier = factories.CarrierFactory(organisation=user.organisation)
    return FormCase(
        f"/duties/changes/new/{carrier.pk}/", user, count(ChangeRequest.objects.filter(carrier=carrier)),
        invalid={"变更事项": "地址", "变更后": "北京市海淀区新址路9号", "变更日期": day(-3)},
        error="这个字段是必填项。", valid={"证明材料": Upload("核准通知书.pdf")}, success="变更报告已提交",
        button="提交变更报告")


def filed_change(carrier):
    return changes.file_change(carrier, factories.ApplicantFactory(organisation=carrier.organisation),
                               field="name", new_value=f"{carrier.name}（新）", changed_on=today(),
                               evidence=SimpleUploadedFile("核准通知书.pdf", PDF), evidence_name="核准通知书.pdf",
                               today=today())


@case()
def change_district():
    change = filed_change(factories.CarrierFactory())
    return FormCase(
        f"/duties/changes/{change.pk}/", factories.DistrictOfficerFactory(district_code="110108"),
        lambda: state_of(ChangeRequest, change.pk, "status"), invalid={}, error="这个字段是必填项。",
        valid={"核实意见": "经核实，名称变更已完成登记。"}, success="已核实并报送市主管部门。",
        button="核实并报送市主管部门")


@case()
def change_decide():
    change = filed_change(gz_carrier())
    return FormCase(
        f"/duties/changes/{change.pk}/", factories.CityReviewerFactory(city="guangzhou"),
        lambda: state_of(ChangeRequest, change.pk, "status"), invalid={"不予变更（退回）": True},
        error="请填写理由。", valid={"理由": "证明材料与变更事项不符。"}, success="已决定不予变更", button="作出决定")


@case()
def revoke():
    carrier = factories.CarrierFactory()
    return FormCase(
        f"/city/carriers/{carrier.pk}/revoke/", factories.CityReviewerFactory(city="beijing"),
        lambda: state_of(Carrier, carrier.pk, "status"),
        invalid={"撤销理由": "经查实，申报材料中服务企业清单系伪造。"}, error="请选择撤销依据。",
        valid={re.compile("在申报和绩效评价中提供虚假材料和数据"): True}, success="已撤销认定", button="确认撤销")


@case()
def withdraw_request():
    carrier = gz_carrier()
    requests = CarrierEvent.objects.filter(carrier=carrier, action="withdrawal_requested")
    return FormCase(
        f"/carriers/{carrier.pk}/withdraw-request/", applicant(carrier.organisation), count(requests),
        invalid={"申请退出的原因": "本单位业务调整，不再承担服务站工作。"}, error="请勾选确认。",
        valid={"本单位确认主动申请不再承担服务站工作": True}, success="退出申请已提交", button="提交退出申请")


@case()
def city_carriers_filter():
    factories.CarrierFactory(name="表单测试服务站")
    factories.CarrierFactory(name="另一服务站")
    values = {"名称、编号或单位": "表单测试", "仅看申请退出的": False}
    return FormCase("/city/carriers/", factories.CityReviewerFactory(city="beijing"), lambda: None, invalid=None,
                    error=None, valid=values, success=filtered("表单测试服务站", "另一服务站", values), button="筛选",
                    changes=False)


# --- Public pages and the utility bar ----------------------------------------------------------------------


@case(javascript=True)
def eligibility_check():
    return FormCase(
        "/eligibility/bj_srdi_station/", None, lambda: None,
        invalid={"是否具有独立法人资格": "是", "注册地": "北京市", "成立日期": "2018-03-12",
                 "固定办公场所面积（平方米）": "-5", "成立年限计算截至": day()},
        error="固定办公场所面积不能为负数。", valid={"固定办公场所面积（平方米）": "120"}, success="自测结果",
        button="开始自测", changes=False)


@case()
def verify():
    carrier = factories.CarrierFactory(number="BJZJTX-2026-0777")
    return FormCase("/verify/", None, lambda: None, invalid={"证书编号": "BJZJTX 2026/0777"},
                    error="请输入正确的证书编号", valid={"证书编号": carrier.number}, success="核验结果：有效",
                    button="核验", changes=False)


@case()
def home_verify():
    carrier = factories.CarrierFactory(number="BJZJTX-2026-0778")
    return FormCase("/", None, lambda: None, invalid=None, error=None, valid={"证书（牌匾）编号": carrier.number},
                    success="核验结果：有效", button="核验", scope="form[action='/verify/']", changes=False)


@case()
def carrier_list_filter():
    factories.CarrierFactory(name="表单查询服务站")
    factories.CarrierFactory(name="其他服务站")
    return FormCase("/carriers/", None, lambda: None, invalid=None, error=None, valid={"名称": "表单查询"},
                    success=filtered("表单查询服务站", "其他服务站", {"名称": "表单查询"}), button="查询",
                    changes=False)


@case()
def display_preferences():
    return FormCase("/", None, lambda: None, invalid=None, error=None, success=html_has_class("font-large"),
                    button="大", scope="form[action='/display/']", changes=False)


def in_english(page):
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="简体中文")).to_be_visible()


@case()
def language():
    return FormCase("/rounds/", None, lambda: None, invalid=None, error=None, success=in_english,
                    button="English", scope="form[action='/i18n/setlang/']", changes=False)


# --- The tests ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _objections_not_rate_limited(settings):
    """The public objection form allows 5 posts an hour per address; the browser tests post from one."""
    settings.OBJECTION_RATE = "1000/h"


@pytest.mark.parametrize("name", CASES)
def test_form_works_without_javascript(name, new_context, steps):
    the_case = CASES[name]()
    page = new_context(javascript=False).new_page()
    open_form(page, the_case)
    before = the_case.state()
    if the_case.invalid is not None:
        refuse_invalid_input(page, the_case, steps)
    fill_in(form_of(page, the_case), the_case.valid)
    steps.shot(page, "填写正确的内容")
    submit(page, the_case)
    expect_success(page, the_case)
    steps.shot(page, "提交成功")
    assert (the_case.state() != before) == the_case.changes


@pytest.mark.parametrize("name", WITH_JAVASCRIPT)
def test_form_keeps_input_with_javascript(name, new_context, steps):
    the_case = CASES[name]()
    page = new_context().new_page()
    dialogs = record_dialogs(page)
    open_form(page, the_case)
    refuse_invalid_input(page, the_case, steps)
    assert dialogs == [], "the unsaved-changes warning stopped the submission"
    page.wait_for_load_state("networkidle")  # e.g. the live panel checking the kept input


def test_leaving_a_form_shown_again_with_errors_asks_first(new_context, steps):
    """The typed input of a refused registration exists only in the page: leaving it warns."""
    the_case = registration()
    page = new_context().new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    open_form(page, the_case)
    refuse_invalid_input(page, the_case, steps)
    page.get_by_role("navigation").get_by_role("link", name="首页").click()
    assert dialogs == ["beforeunload"], "leaving the refused input did not ask first"
    expect(page).to_have_url(re.compile(r"/accounts/register/$"))
    expect_kept(form_of(page, the_case), the_case.invalid)


PLATFORM_FACTS = {"是否具有独立法人资格": "是", "注册地": "北京市", "成立日期": "2015-06-01",
                  "资产总额（元）": "5000000", "年服务京津冀中小企业数量（家）": "150", "服务对象满意度": "1.5",
                  "综合咨询": True, "融资促进": True}
RATIO_ERROR = "服务对象满意度应在 0 到 1 之间"


def test_declaration_section_keeps_invalid_input_across_leaving_the_page(new_context, steps):
    """The live panel checks while typing; leaving unsaved input asks first; the server keeps invalid input."""
    user, app = draft_application("bj_demo_platform")
    page = new_context().new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    log_in(page, user.username, factories.PASSWORD)
    page.goto(section_url(app, "facts"))
    form = page.locator("main form")
    fill_in(form, PLATFORM_FACTS)
    expect(page.locator("#eligibility-results")).to_contain_text(RATIO_ERROR)
    steps.shot(page, "填写时实时核对")

    page.get_by_role("link", name="3. 载体名称与服务方案").click()
    assert dialogs == ["beforeunload"], "leaving unsaved input did not ask first"
    expect(page).to_have_url(re.compile(r"/sections/facts/$"))
    expect_kept(form, PLATFORM_FACTS)

    form.get_by_role("button", name="保存（暂存）").click()
    expect(form.get_by_text(RATIO_ERROR)).to_be_visible()
    expect(page.get_by_text("您填写的内容已暂存在服务器上")).to_be_visible()
    expect(page.locator("#eligibility-results")).to_contain_text(RATIO_ERROR)  # the kept input, not the saved data
    steps.shot(page, "校验提示与暂存")
    assert dialogs == ["beforeunload"], "the unsaved-changes warning stopped the submission"
    expect_kept(form, PLATFORM_FACTS)
    app.refresh_from_db()
    assert app.facts == {}
    assert app.drafts["facts"]["satisfaction_rate"] == "1.5"
    assert app.drafts["facts"]["service_functions"] == ["综合咨询", "融资促进"]

    page.get_by_role("link", name="3. 载体名称与服务方案").click()
    expect(page.get_by_role("heading", name="载体名称与服务方案")).to_be_visible()
    assert dialogs == ["beforeunload"], "the kept input counted as unsaved"
    page.get_by_role("link", name="2. 申报条件").click()
    expect_kept(form, PLATFORM_FACTS)
    expect(form.get_by_text(RATIO_ERROR)).to_be_visible()
    expect(page.locator("#eligibility-results")).to_contain_text(RATIO_ERROR)
    steps.shot(page, "回到本部分内容仍在")
