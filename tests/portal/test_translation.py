"""The interface is Chinese by default; English is switchable and translated."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_default_language_is_chinese(client):
    body = client.get("/").content.decode()
    assert 'lang="zh-CN"' in body
    for text in ("正在开展的申报", "平台简介", "主办单位", "跳到主要内容"):
        assert text in body
    assert "Open application rounds" not in body
    login = client.get(reverse("accounts:login")).content.decode()
    assert "用户登录" in login and "忘记密码？" in login


def test_home_page_in_english(client):
    switch_to_english(client)
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    for text in (
        "Open application rounds",
        "About the platform",
        "Online services",
        "Applicant unit registration",
        "Sponsored by",
        "Website ID",
        "Skip to main content",
        "Senior-friendly mode",
    ):
        assert text in body, text
    for text in ("正在开展的申报", "平台简介", "办事入口", "主办单位"):
        assert text not in body, text
    # The way back is offered in Chinese.
    assert "简体中文" in body


def test_login_page_in_english(client):
    switch_to_english(client)
    body = client.get(reverse("accounts:login")).content.decode()
    for text in ("User sign-in", "Forgotten your password?", "Applicant unit registration", "Sign in"):
        assert text in body, text
    assert "用户登录" not in body


def test_python_strings_translated():
    with translation.override("en"):
        assert translation.gettext("统一社会信用代码") == "Unified Social Credit Code"
        assert translation.gettext("区主管部门经办人") == "District SME authority officer"
        assert translation.ngettext("%(n)s 个有效账号", "%(n)s 个有效账号", 2) % {"n": 2} == "2 active accounts"
    with translation.override("zh-hans"):
        assert translation.gettext("统一社会信用代码") == "统一社会信用代码"


def po_entries():
    """(msgid, [msgstr…], flags, is_plural) for each entry of the English catalogue, read without extra packages."""
    text = (LOCALE_DIR / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        flags, parts, key = "", {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            match = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            strs = [v for k, v in parts.items() if k.startswith("msgstr")]
            yield parts["msgid"], strs, flags, "msgid_plural" in parts


def test_catalogue_complete_and_compiled():
    entries = list(po_entries())
    assert len(entries) > 100
    untranslated = [msgid for msgid, strs, _, _ in entries if not all(strs)]
    fuzzy = [msgid for msgid, _, flags, _ in entries if "fuzzy" in flags]
    assert not untranslated, f"未翻译：{untranslated}"
    assert not fuzzy, f"待确认（fuzzy）：{fuzzy}"
    with (LOCALE_DIR / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for msgid, _, _, plural in entries
        if "\\" not in msgid
        and (compiled.ngettext(msgid, msgid, 1) if plural else compiled.gettext(msgid)) == msgid
    ]
    assert not stale, f"django.mo 未重新编译：{stale[:5]}"
