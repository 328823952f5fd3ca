"""Beat schedules (Beijing time, editable in the admin) for every sweep of portal.sweeps.

The order of the night matters: 逾期未自评 and the GZ 复核 revocation come before the plain expiry
(GZ 四（三）5). The older schedule of reviews.tasks.close_ended_notices is disabled: the close_notices
sweep replaces it at the same time and leaves a SweepRun record.
"""

import json

from django.db import migrations

TASK = "portal.tasks.run_sweep_task"
PREFIX = "定时任务："
OLD_CLOSE_NOTICES = "reviews.tasks.close_ended_notices"
SCHEDULES = [
    # (sweep, hour, minute, name, description)
    ("close_notices", "0", "30", "公示期满处理（每日 00:30）",
     "关闭公示期已满的公示：无异议或异议不成立的申报改为“已通过”，有未处理异议的等待。"),
    ("fail_missing_self_assessments", "0", "45", "逾期未提交自评按不合格处理（每日 00:45）",
     "评价截止后未提交自评的载体按不合格处理，并按类型规则撤销。"),
    ("revoke_gz_without_re_review", "1", "0", "广州服务站未申请复核撤销（每日 01:00）",
     "三年有效期届满、未在当年申报中申请复核的广州市服务站，按四（三）5撤销。须在有效期届满处理之前运行。"),
    ("expire_carriers", "1", "20", "有效期届满处理（每日 01:20）", "有效期已过的载体改为“已到期”。"),
    ("open_close_rounds", "7", "30", "申报开始与截止提醒（每日 07:30）",
     "申报批次开始时提醒本市申报单位，申报截止后提醒各区主管部门初审。"),
    ("reminders", "8", "0", "称号即将到期提醒（每日 08:00）", "有效期60日内届满的载体，提醒其运营单位一次。"),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for sweep, hour, minute, name, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
        PeriodicTask.objects.update_or_create(
            name=f"{PREFIX}{name}", defaults={"task": TASK, "args": json.dumps([sweep]), "crontab": crontab, "enabled": True,
                                 "description": description})
    PeriodicTask.objects.filter(task=OLD_CLOSE_NOTICES).update(enabled=False)


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[f"{PREFIX}{s[3]}" for s in SCHEDULES]).delete()
    PeriodicTask.objects.filter(task=OLD_CLOSE_NOTICES).update(enabled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_sweeprun"),
        ("reviews", "0003_close_notices_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
