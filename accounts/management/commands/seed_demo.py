"""Demo data for a development portal; refused when DEBUG is off.

Idempotent: rows are matched on stable keys (credit code, user name, type
and year), so running it twice leaves the same rows.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import City, District, Organisation, Role, User
from applications.models import Round
from carriers.models import CarrierType
from portal.reference_data import load_reference_data

DEMO_PASSWORD = "Portal#Demo2026"

ORGANISATIONS = [
    # (credit code, name, district code, founded, legal representative)
    ("91110108MA01ABCD2H", "北京智造创新服务有限公司", "110108", datetime.date(2018, 3, 12), "王建国"),
    ("91110105MA00XK7Q3J", "北京朝阳创业孵化器有限公司", "110105", datetime.date(2016, 9, 1), "李秀英"),
    ("91440106MA59C8RT0K", "广州天河企业服务有限公司", "440106", datetime.date(2017, 5, 20), "陈志强"),
    ("91440113MA5AK2N41G", "广州番禺产业促进有限公司", "440113", datetime.date(2019, 11, 8), "黄丽华"),
]

ACCOUNTS = [
    # (username, real name, role, extra)
    ("admin", "系统管理员", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
    ("bj_applicant", "张明", Role.APPLICANT, {"org": "91110108MA01ABCD2H", "is_org_admin": True}),
    ("bj_applicant2", "刘洋", Role.APPLICANT, {"org": "91110105MA00XK7Q3J", "is_org_admin": True}),
    ("gz_applicant", "林晓", Role.APPLICANT, {"org": "91440106MA59C8RT0K", "is_org_admin": True}),
    ("gz_applicant2", "何敏", Role.APPLICANT, {"org": "91440113MA5AK2N41G", "is_org_admin": True}),
    ("bj_haidian", "赵海", Role.DISTRICT_OFFICER, {"district": "110108"}),
    ("bj_chaoyang", "孙朝", Role.DISTRICT_OFFICER, {"district": "110105"}),
    ("gz_tianhe", "周天", Role.DISTRICT_OFFICER, {"district": "440106"}),
    ("gz_panyu", "吴禺", Role.DISTRICT_OFFICER, {"district": "440113"}),
    ("bj_city", "郑京", Role.CITY_REVIEWER, {"city": City.BEIJING}),
    ("gz_city", "冯穗", Role.CITY_REVIEWER, {"city": City.GUANGZHOU}),
    ("gz_hub", "蒋总站", Role.HUB_COORDINATOR, {"city": City.GUANGZHOU}),
    ("gz_expert1", "韩专家", Role.EXPERT, {"city": City.GUANGZHOU}),
    ("gz_expert2", "杨专家", Role.EXPERT, {"city": City.GUANGZHOU}),
    ("bj_expert1", "秦专家", Role.EXPERT, {"city": City.BEIJING}),
]


class Command(BaseCommand):
    help = "写入演示数据（仅开发环境）：区划、载体类型、每类一个开放批次、各角色演示账号。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 仅用于开发环境：DEBUG 关闭时拒绝执行，以免在生产库写入演示账号。")
        with transaction.atomic():
            load_reference_data(apps)
            orgs = self.seed_organisations()
            self.seed_accounts(orgs)
            self.seed_rounds()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, real_name, role, _extra in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {real_name:<6} {Role(role).label}")

    def seed_organisations(self):
        districts = {d.code: d for d in District.objects.all()}
        orgs = {}
        for code, name, district_code, founded, legal_rep in ORGANISATIONS:
            orgs[code], _ = Organisation.objects.get_or_create(
                uscc=code,
                defaults={
                    "name": name, "district": districts[district_code], "founded_on": founded,
                    "legal_representative": legal_rep, "address": f"{districts[district_code]}示范路1号",
                    "contact_name": legal_rep, "contact_phone": "010-00000000",
                    "contact_email": "contact@example.com",
                },
            )
        return orgs

    def seed_accounts(self, orgs):
        districts = {d.code: d for d in District.objects.all()}
        for username, real_name, role, extra in ACCOUNTS:
            fields = {"real_name": real_name, "role": role, "email": f"{username}@example.com",
                      "is_staff": extra.get("is_staff", False), "is_superuser": extra.get("is_superuser", False),
                      "is_org_admin": extra.get("is_org_admin", False), "city": extra.get("city", "")}
            if "org" in extra:
                fields["organisation"] = orgs[extra["org"]]
                fields["city"] = fields["organisation"].district.city
            if "district" in extra:
                fields["district"] = districts[extra["district"]]
                fields["city"] = fields["district"].city
            user, created = User.objects.get_or_create(username=username, defaults=fields)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])

    def seed_rounds(self):
        today = timezone.localdate()
        for carrier_type in CarrierType.objects.open_to_applications():
            Round.objects.get_or_create(
                carrier_type=carrier_type, year=today.year,
                defaults={
                    "title": f"关于开展{today.year}年度{carrier_type.name}申报工作的通知",
                    "document_number": f"演示〔{today.year}〕{carrier_type.sort_order}号",
                    "opens_on": today - datetime.timedelta(days=10),
                    "closes_on": today + datetime.timedelta(days=30),
                    "district_deadline": today + datetime.timedelta(days=45),
                    "notice_text": (
                        f"根据{carrier_type.policy_title}，现组织开展{today.year}年度{carrier_type.name}申报工作。"
                        "请符合条件的单位在申报期内通过本平台在线填报，并向所在区主管部门提交。"
                    ),
                },
            )
