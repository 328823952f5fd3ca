"""Schedule reviews.tasks.close_ended_notices daily at 00:30 Beijing time (editable in the admin)."""

from django.db import migrations

TASK_NAME = "公示期满处理（每日 00:30）"
TASK = "reviews.tasks.close_ended_notices"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "crontab": crontab, "enabled": True,
                  "description": "关闭公示期已满的公示：无异议或异议不成立的申报改为“已通过”，有未处理异议的等待。"},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_announcement_announcemententry_publicnotice_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
