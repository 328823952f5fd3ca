"""manage.py run_sweep <name|all> [--dry-run] [--today YYYY-MM-DD]: run scheduled sweeps now."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.models import SweepRun
from portal.sweeps import SWEEPS, run_sweep

KEY_LABELS = {
    "approved": "公示期满通过的申报", "waiting": "因异议未处理而等待的申报", "notices_closed": "已结束的公示",
    "expired": "有效期届满的载体", "revoked": "撤销的载体", "reminded": "已提醒即将到期的载体",
    "opened": "已发送开始申报提醒的批次", "closed": "已发送申报截止提醒的批次",
    "campaigns": "处理的评价批次", "skipped": "跳过的载体",
}
OUTCOMES = {SweepRun.Outcome.DONE: "完成", SweepRun.Outcome.SKIPPED: "已跳过（另一次运行尚未结束）"}


class Command(BaseCommand):
    help = "立即运行定时任务并打印处理数量和记录编号。可用的任务：" + "、".join(SWEEPS) + "；all 表示按顺序全部运行。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="任务名称，或 all")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要处理的内容，不作任何修改")
        parser.add_argument("--today", help="按该日期（YYYY-MM-DD，北京时间）判断期限，默认今天")

    def handle(self, *args, name, dry_run=False, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"日期“{today}”格式无效，应为 YYYY-MM-DD。") from error
        if name != "all" and name not in SWEEPS:
            raise CommandError(f"没有名为“{name}”的定时任务。可用的任务：{'、'.join(SWEEPS)}，或 all。")
        names = list(SWEEPS) if name == "all" else [name]
        failed = []
        for sweep in names:
            try:
                run = run_sweep(sweep, today=day, dry_run=dry_run)
            except Exception as error:  # noqa: BLE001 - report and go on with the next sweep
                failed.append(sweep)
                self.stderr.write(f"【{SWEEPS[sweep].label}】（{sweep}）失败：{error}")
                continue
            self.print_run(run)
        if failed:
            raise CommandError(f"以下定时任务失败：{'、'.join(failed)}，详见运行记录。")

    def print_run(self, run):
        prefix = "试运行（未作任何修改）" if run.dry_run else OUTCOMES.get(run.outcome, run.get_outcome_display())
        head = f"【{SWEEPS[run.name].label}】（{run.name}，{run.today:%Y-%m-%d}，运行记录 {run.pk}）"
        self.stdout.write(f"{head}：{prefix}")
        if run.outcome == SweepRun.Outcome.SKIPPED:
            return
        if not run.counts:
            self.stdout.write("  无")
        for key, count in run.counts.items():
            ids = ", ".join(str(pk) for pk in run.changed_ids.get(key, [])) or "无"
            self.stdout.write(f"  {KEY_LABELS.get(key, key)}：{count}（{key}: {ids}）")
