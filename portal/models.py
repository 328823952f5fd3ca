"""In-portal notifications (站内消息)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class CalendarYear(models.Model):
    """A year whose holiday arrangement the administrator has entered in full (法定节假日安排).

    For a year the chinesecalendar package does not cover, working days are
    computed only once its year row exists: the weekday rule, corrected by the
    year's CalendarDay rows (holidays and 调休 make-up workdays).
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """One day set by the administrator: a holiday or a make-up workday; overrides the package."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"), help_text=_("勾选表示上班（含调休上班日），不勾选表示放假"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"


class SweepRun(models.Model):
    """One run of a scheduled sweep (定时任务): what it changed, or why it changed nothing."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("完成")
        SKIPPED = "skipped", _("已跳过")
        FAILED = "failed", _("失败")

    name = models.CharField(_("任务"), max_length=60, db_index=True)
    today = models.DateField(_("业务日期"), help_text=_("按北京时间的该日期判断期限"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    dry_run = models.BooleanField(_("试运行"), default=False, help_text=_("试运行只统计将要处理的内容，不作修改"))
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(_("数量"), default=dict, blank=True)
    changed_ids = models.JSONField(_("处理的记录"), default=dict, blank=True)
    error = models.TextField(_("错误或跳过原因"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"
