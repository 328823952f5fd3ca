"""What stands between a draft and its submission, in plain Chinese."""

from django.utils import timezone

from carriers.eligibility import evaluate, facts_from_document

from .guards import filing_problems
from .sections import SECTIONS


def eligibility_report(application, rules):
    """The type's eligibility results for the stored facts, years counted to the round's deadline."""
    return evaluate(rules, facts_from_document(application.facts), application.round.closes_on)


def current_attachments(application) -> dict:
    return {a.slot: a for a in application.attachments.all() if a.is_current}


def missing_attachments(application, rules) -> list:
    present = current_attachments(application)
    return [spec for spec in rules.required_attachments if spec.required and spec.key not in present]


def section_status(application, rules) -> list[dict]:
    """Per section: saved, with unsaved (invalid) input kept, or not yet filled in."""
    rows = []
    for section in SECTIONS:
        if section.key in application.drafts:
            status = "draft"
        elif section.completeness_form(application, rules).is_valid():
            status = "complete"
        else:
            status = "incomplete"
        rows.append({"section": section, "status": status})
    return rows


def submission_problems(application, rules, report=None) -> list[str]:
    """Everything that blocks submission; empty when the application may be submitted."""
    problems = filing_problems(application.organisation, application.round, timezone.localdate(),
                               exclude_pk=application.pk)
    for row in section_status(application, rules):
        title = row["section"].title
        if row["status"] == "draft":
            problems.append(f"“{title}”中有暂存但未通过校验的内容，请修改后保存。")
        elif row["status"] == "incomplete":
            problems.append(f"“{title}”尚未填写完整。")
    report = report or eligibility_report(application, rules)
    for result in report.results:
        if result.kind == "hard" and not result.passed:
            problems.append(f"不符合申报条件：{result.message}（{result.article}）")
        elif result.kind == "general" and not result.passed and not application.explanations.get(result.rule):
            problems.append(f"一般条件未达到，需填写书面说明：{result.message}（{result.article}）")
    problems += [p for p in rules.submission_problems(application) if p not in problems]
    for spec in missing_attachments(application, rules):
        problems.append(f"缺少必需附件：{spec.label}。")
    if not application.declaration_signed:
        problems.append("请阅读并签署承诺书（申报材料真实、完整）。")
    return problems
