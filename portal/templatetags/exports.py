"""``{% export_links %}``: the list's 导出 Excel / 导出 CSV links, keeping the current filters (not the page)."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/export_links.html", takes_context=True)
def export_links(context):
    request = context["request"]
    links = []
    for fmt, label in (("xlsx", "导出 Excel"), ("csv", "导出 CSV")):
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = fmt
        links.append({"url": f"{request.path}?{query.urlencode()}", "label": label, "fmt": fmt})
    return {"links": links}
