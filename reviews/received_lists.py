"""The district recommendation lists a city bureau has received (各区推荐名单), read as whole lists.

A list reaches the city when its district sends it (``reviews.district.submit_list``); before that it is the
district's draft and does not exist for the city. A reviewer sees the lists of its own city's rounds only, and
of each list only the entries whose application ``Application.objects.visible_to`` lets it see.
"""

from django import forms
from django.db.models import Count

from applications.models import Application

from .city import FilterForm, round_choices
from .models import RecommendationEntry, RecommendationList

PAGE_SIZE = 20


def received_lists(user):
    """The submitted lists of the reviewer's city, newest first, with their entry counts (one query)."""
    return (
        RecommendationList.objects.filter(status=RecommendationList.Status.SUBMITTED,
                                          round__carrier_type__city=user.city)
        .select_related("round__carrier_type", "district", "submitted_by")
        .annotate(entry_count=Count("entries"))
        .order_by("-submitted_at", "-pk")
    )


class ListFilterForm(FilterForm):
    """The round filter of the received lists; choices come from the reviewer's own city only."""

    round = forms.TypedChoiceField(label="申报批次", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, city):
        super().__init__(data)
        self.fields["round"].choices = round_choices(city)
        self.fields["round"].widget.attrs["class"] = "form-select"


def filtered_lists(user, data):
    """(filter form, ignored filter labels, the reviewer's received lists after the valid filters)."""
    form = ListFilterForm(data, city=user.city)
    values, ignored = form.usable()
    rows = received_lists(user)
    if "round" in values:
        rows = rows.filter(round_id=values["round"])
    return form, ignored, rows


def received_list(user, list_pk) -> RecommendationList | None:
    """One received list of the reviewer's city; None for a draft, another city's list or no such list."""
    return received_lists(user).filter(pk=list_pk).first()


def entries_of(recommendation_list: RecommendationList, user):
    """The list's entries in the district's order, limited to the applications the reviewer may see (one query)."""
    return list(
        RecommendationEntry.objects.filter(recommendation_list=recommendation_list,
                                           application__in=Application.objects.visible_to(user).values("pk"))
        .select_related("application__carrier_type")
        .order_by("rank", "pk")
    )


# The export of the received lists (portal.exports): the columns on screen, plus the district's opinion.
EXPORT_COLUMNS = [
    ("申报批次", "round.title"),
    ("所属区", "district.name"),
    ("报送单位", "district.bureau_name"),
    ("报送时间", "submitted_at"),
    ("报送人", lambda rl: (rl.submitted_by.real_name or rl.submitted_by.username) if rl.submitted_by else ""),
    ("推荐数量", "entry_count"),
    ("推荐意见", "opinion"),
]
