"""Keeping what the applicant typed: raw section input is stored until it validates."""

from django.utils import timezone


def raw_input(form, data) -> dict:
    """The submitted values of a form's fields, as typed (lists for multi-value fields)."""
    raw = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if getattr(field.widget, "allow_multiple_selected", False):
            raw[key] = data.getlist(key)
        else:
            raw[key] = data.get(key, "")
    return raw


def keep_draft(application, key: str, raw: dict) -> None:
    application.drafts = {**application.drafts, key: raw}
    application.save(update_fields=["drafts", "updated_at"])


def mark_saved(application, key: str) -> list[str]:
    """Clear the section's raw draft and note when it was saved; returns the fields to save."""
    drafts = dict(application.drafts)
    drafts.pop(key, None)
    application.drafts = drafts
    application.saved_sections = {**application.saved_sections, key: timezone.now().isoformat()}
    return ["drafts", "saved_sections", "updated_at"]
