from django.apps import apps
from django.core.management.base import BaseCommand

from portal.reference_data import load_reference_data


class Command(BaseCommand):
    help = "载入或更新参考数据（区划、载体类型），可重复执行。"

    def handle(self, *args, **options):
        counts = load_reference_data(apps)
        for label, n in counts.items():
            self.stdout.write(f"{label}: 新增 {n} 条")
