"""Atom feed of public notices (公示) and announcements (公告), newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from reviews.models import Announcement, PublicNotice

from .registry import notice_url

FEED_SIZE = 30


class NoticesFeed(Feed):
    feed_type = Atom1Feed
    title = "中小企业服务载体认定 · 公示公告"
    subtitle = "北京市、广州市中小企业服务载体认定的公示和认定公告。"
    link = "/announcements/"

    def items(self):
        notices = [("notice", n) for n in PublicNotice.objects.order_by("-published_at", "-pk")[:FEED_SIZE]]
        announcements = [("announcement", a) for a in
                         Announcement.objects.order_by("-published_at", "-pk")[:FEED_SIZE]]
        items = sorted(notices + announcements, key=lambda pair: pair[1].published_at, reverse=True)
        return items[:FEED_SIZE]

    def item_title(self, item):
        kind, obj = item
        return f"{'公示' if kind == 'notice' else '公告'}：{obj.title}"

    def item_description(self, item):
        kind, obj = item
        if kind == "notice":
            return f"{obj.document_number}，公示期 {obj.starts_on:%Y-%m-%d} 至 {obj.ends_on:%Y-%m-%d}。"
        return f"{obj.document_number}，公告日期 {obj.published_on:%Y-%m-%d}。"

    def item_link(self, item):
        kind, obj = item
        return notice_url(obj.pk) if kind == "notice" else reverse("announcement_detail", args=[obj.pk])

    def item_pubdate(self, item):
        return item[1].published_at

    def item_updateddate(self, item):
        return item[1].published_at
