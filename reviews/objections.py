"""异议: filed by the public inside the notice period, decided by the city (GZ guideline 四（一）3（4）).

A unit's objection carries its name, contact and a stamped letter (scan); an
individual's carries the real name and contact. Anonymous objections are not
accepted. The objector's identity is seen only by the city reviewers of the
notice's city: never by the applicant (the decision reason the applicant reads
is the reviewer's own text).
"""

import datetime
import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.models import ApplicationState
from applications.workflow import TransitionRefused, transition
from portal.notifications import notify
from portal.uploads import validate_upload

from .models import NoticeEntry, Objection, PublicNotice
from .notices import CHINA, is_open

PAGE_SIZE = 20
MIN_FACTS = 20
CHALLENGE_SALT = "reviews.objection-challenge"
CHALLENGE_MAX_AGE = 2 * 60 * 60
DECISIONS = {Objection.Status.UPHELD: "异议成立", Objection.Status.DISMISSED: "异议不成立"}


class ObjectionRefused(Exception):
    """An objection (or a decision on one) refused; nothing was stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_closed_message(notice) -> str:
    return (f"本公示的公示期为{_date(notice.starts_on)}至{_date(notice.ends_on)}，异议须在公示期内"
            f"（截至{_date(notice.ends_on)}24时，北京时间）提出。现已不在公示期内，不再受理异议。")


# --- The challenge: an arithmetic question, signed into the form, each answer usable once --------

def new_challenge() -> tuple[str, str]:
    """(question, signed token)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8)}, salt=CHALLENGE_SALT)
    return f"{a} 加 {b} 等于多少？", token


def question_of(token: str) -> str | None:
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None
    return f"{data['a']} 加 {data['b']} 等于多少？"


def check_challenge(token: str, answer) -> str | None:
    """None if answered right; else the problem (Chinese). A token is spent by its first right answer."""
    try:
        data = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        return "验证问题已过期，请回答新的验证问题。"
    except signing.BadSignature:
        return "验证问题无效，请回答新的验证问题。"
    if answer is None or answer != data["a"] + data["b"]:
        return "验证问题回答错误，请重新计算后填写。"
    if not cache.add(f"objection-challenge:{data['n']}", 1, CHALLENGE_MAX_AGE):
        return "该验证问题已使用过，请回答新的验证问题。"
    return None


# --- The public form ---------------------------------------------------------------------------

phone_validator = RegexValidator(r"^[0-9+\-（）() ]{7,30}$", "请填写有效的联系电话（固定电话或手机号码）。")


class ObjectionForm(forms.Form):
    entry = forms.ModelChoiceField(label="异议对象（公示名单中的单位）", queryset=NoticeEntry.objects.none(),
                                   empty_label="请选择", error_messages={
                                       "required": "请选择对哪一项公示内容提出异议。",
                                       "invalid_choice": "所选公示条目无效，请重新选择。"})
    kind = forms.ChoiceField(label="提出方", choices=Objection.Kind.choices,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                             error_messages={"required": "请选择以单位名义还是以个人名义提出异议。"})
    objector_name = forms.CharField(label="单位名称 / 真实姓名", max_length=120,
                                    error_messages={"required": "请填写单位全称或个人真实姓名；不受理匿名异议。"})
    contact_phone = forms.CharField(label="联系电话", max_length=30, validators=[phone_validator],
                                    error_messages={"required": "请填写联系电话。"})
    contact_email = forms.EmailField(label="联系邮箱", error_messages={
        "required": "请填写联系邮箱，处理结果将发送至该邮箱。", "invalid": "请填写有效的邮箱地址。"})
    facts = forms.CharField(label="异议事实和理由", widget=forms.Textarea(attrs={"rows": 6}), min_length=MIN_FACTS,
                            max_length=5000, error_messages={
                                "required": "请填写异议的事实和理由。",
                                "min_length": f"异议事实和理由过于简略，请至少填写 {MIN_FACTS} 个字，"
                                              "写明具体事实及依据。"})
    letter = forms.FileField(label="书面异议材料（扫描件）", required=False,
                             help_text="单位须上传加盖公章的书面异议材料；个人可上传本人签名的书面材料。"
                                       "仅接受 PDF、JPG、PNG，不超过 20 MB。")
    challenge = forms.IntegerField(label="验证问题", error_messages={
        "required": "请回答验证问题。", "invalid": "验证问题的答案应为数字。"})
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["entry"].queryset = notice.entries.order_by("seq")
        self.fields["entry"].label_from_instance = lambda e: f"{e.seq}. {e.unit_name}" + (
            f"（{e.carrier_name}）" if e.carrier_name else "")
        self.checked_letter = None
        for name, field in self.fields.items():
            if name not in ("kind", "challenge_token"):
                field.widget.attrs["class"] = "form-select" if name == "entry" else "form-control"
        self.fields["challenge"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            self.checked_letter = validate_upload(letter)
        return letter

    def clean(self):
        data = super().clean()
        if data.get("kind") == Objection.Kind.UNIT and not data.get("letter") and "letter" not in self.errors:
            self.add_error("letter", "以单位名义提出异议，须上传加盖单位公章的书面异议材料（扫描件）。")
        if "challenge" not in self.errors:
            problem = check_challenge(data.get("challenge_token"), data.get("challenge"))
            if problem:
                self.add_error("challenge", problem)
        return data


def submit(notice: PublicNotice, form: ObjectionForm, *, now: datetime.datetime | None = None) -> Objection:
    """Store a valid objection if the notice period is open at ``now`` (Beijing time); tell the city."""
    if not is_open(notice, now):
        raise ObjectionRefused(period_closed_message(notice))
    data = form.cleaned_data
    entry = data["entry"]
    if entry.notice_id != notice.pk:
        raise ObjectionRefused("所选公示条目不属于本公示。")
    with transaction.atomic():
        objection = Objection(
            entry=entry, kind=data["kind"], objector_name=data["objector_name"].strip(),
            contact_phone=data["contact_phone"].strip(), contact_email=data["contact_email"].strip(),
            facts=data["facts"].strip(),
        )
        if data.get("letter"):
            objection.letter = data["letter"]
            objection.letter_name = form.checked_letter.name
        objection.save()
        reviewers = User.objects.filter(role=Role.CITY_REVIEWER, city=notice.round.carrier_type.city, is_active=True)
        notify(reviewers, f"收到公示异议：{notice.title}",
               f"对公示名单第{entry.seq}项“{entry.unit_name}”的异议，请调查核实并作出处理。",
               reverse("reviews:city_objection", args=[objection.pk]))
    return objection


# --- The city's side ---------------------------------------------------------------------------

def visible_objections(user):
    """Objections only the city reviewers of the notice's city see."""
    if not user.is_authenticated or user.is_superuser or user.role != Role.CITY_REVIEWER or not user.city:
        return Objection.objects.none()
    return Objection.objects.filter(entry__notice__round__carrier_type__city=user.city)


def city_list(user, status: str = "", notice_pk=None):
    rows = visible_objections(user).select_related("entry__notice", "entry__application")
    if status in Objection.Status.values:
        rows = rows.filter(status=status)
    if notice_pk:
        rows = rows.filter(entry__notice_id=notice_pk)
    return rows.order_by("-received_at", "-pk")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="调查核实结论", choices=list(DECISIONS.items()),
                                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                                error_messages={"required": "请选择异议成立或不成立。"})
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}), max_length=3000,
        error_messages={"required": "请填写调查核实的理由。"},
        help_text="理由将告知异议人；异议成立时也将作为不予认定的理由告知申报单位。请勿写入异议人的姓名、单位或联系方式。")


def decide(objection_pk: int, reviewer, outcome: str, reason: str, *, today: datetime.date | None = None) -> Objection:
    """Record upheld / dismissed with reasons; upholding rejects the entry; the objector is e-mailed.

    Once the last open objection of an ended notice is decided, the notice is closed for that
    entry at once (the same logic as the nightly sweep).
    """
    reason = (reason or "").strip()
    if outcome not in DECISIONS:
        raise ObjectionRefused("请选择异议成立或不成立。")
    if not reason:
        raise ObjectionRefused("请填写调查核实的理由。")
    with transaction.atomic():
        objection = (
            visible_objections(reviewer).select_for_update(of=("self",))
            .select_related("entry__notice__round__carrier_type", "entry__application")
            .filter(pk=objection_pk).first()
        )
        if objection is None:
            raise ObjectionRefused("未找到该异议，或您无权处理。")
        if objection.status != Objection.Status.OPEN:
            raise ObjectionRefused(f"该异议已于{timezone.localtime(objection.decided_at, CHINA):%Y-%m-%d %H:%M}"
                                   f"处理（{objection.get_status_display()}），不能重复处理。")
        objection.status = outcome
        objection.decision_reason = reason
        objection.decided_by = reviewer
        objection.decided_at = timezone.now()
        objection.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        entry = objection.entry
        if outcome == Objection.Status.UPHELD:
            state = type(entry.application).objects.values_list("state", flat=True).get(pk=entry.application_id)
            if state == ApplicationState.IN_NOTICE:
                try:
                    transition(entry.application_id, "uphold_objection", reviewer,
                               f"公示期内异议经调查核实成立：{reason}")
                except TransitionRefused as refused:
                    raise ObjectionRefused(refused.message) from refused
            elif state != ApplicationState.REJECTED:  # rejected already by another upheld objection: nothing to do
                raise ObjectionRefused(f"该申报当前状态为“{ApplicationState(state).label}”，不能因异议成立改为未通过。")
        from .tasks import email_objector_decision

        transaction.on_commit(lambda: email_objector_decision.delay(objection.pk))
    notice = entry.notice
    today = today or timezone.localdate(timezone=CHINA)
    if notice.ends_on < today and notice.closed_at is None:
        from .sweeps import close_ended_notices

        close_ended_notices(today=today, notice_ids=[notice.pk])
    return objection


def decision_email(objection: Objection) -> tuple[str, str]:
    """(subject, body) telling the objector the outcome; names only the listed unit, never another person."""
    notice = objection.entry.notice
    from .notices import issuer_of

    issuer = issuer_of(notice.round)
    received = timezone.localtime(objection.received_at, CHINA)
    subject = f"关于您对《{notice.title}》所提异议的处理结果"
    body = (
        f"{objection.objector_name}：\n\n"
        f"您于{received.year}年{received.month}月{received.day}日对《{notice.title}》（{notice.document_number}）"
        f"公示名单第{objection.entry.seq}项“{objection.entry.unit_name}”提出的异议，我局已调查核实。\n\n"
        f"处理结果：{objection.get_status_display()}\n理由：{objection.decision_reason}\n\n"
        f"感谢您对{notice.round.carrier_type.name}认定工作的监督。\n\n{issuer}\n"
    )
    return subject, body


# The objection list's export (portal.exports), from city_list. The objector's name and kind as on screen,
# never their phone, e-mail or address: an exported file travels further than the page (keeps exports low-risk).
EXPORT_COLUMNS = [
    ("收到时间", "received_at"),
    ("公示", "entry.notice.title"),
    ("公示期至", "entry.notice.ends_on"),
    ("异议对象序号", "entry.seq"),
    ("异议对象", "entry.unit_name"),
    ("提出方类型", "get_kind_display"),
    ("提出方", "objector_name"),
    ("处理状态", "get_status_display"),
]
