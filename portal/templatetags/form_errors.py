"""``{% error_summary form %}``: a list of the fields a refused form asks to correct, each linked to its field."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form):
    errors = [
        {"id": field.id_for_label, "label": field.label, "message": message}
        for field in form if field.errors and not field.is_hidden
        for message in field.errors
    ]
    return {"errors": errors}
