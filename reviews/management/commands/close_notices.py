"""manage.py close_notices [--dry-run] [--today YYYY-MM-DD]: close notice periods that ended."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reviews.sweeps import close_ended_notices

LABELS = {"approved": "公示期满通过的申报", "waiting": "因异议未处理而等待的申报", "notices_closed": "已结束的公示"}


class Command(BaseCommand):
    help = "处理公示期已满的公示：无异议或异议不成立的申报改为“已通过”，有未处理异议的继续等待。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要处理的内容，不作任何修改")
        parser.add_argument("--today", help="按该日期（YYYY-MM-DD，北京时间）判断公示期是否已满，默认今天")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"日期“{today}”格式无效，应为 YYYY-MM-DD。") from error
        result = close_ended_notices(today=day, dry_run=dry_run)
        if dry_run:
            self.stdout.write("试运行（未作任何修改）：")
        for key, label in LABELS.items():
            ids = ", ".join(str(pk) for pk in result.changed_ids[key]) or "无"
            self.stdout.write(f"{label}：{result.counts[key]}（{key}: {ids}）")
