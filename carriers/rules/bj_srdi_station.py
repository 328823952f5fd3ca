"""北京市专精特新企业服务站: 《北京市专精特新企业服务站建设管理办法》第四至六条、第十一至十三条.

第五条（二）"一般应具有独立法人资格" is a general condition; the other
conditions of 第五、六条 are hard. The seed numbers 第六条 "（1）（2）（三）（四）";
articles here read （一）（二）（三）.
"""

from .base import AttachmentSpec, RevocationGround, TypeRules
from .checks import (
    at_least,
    at_least_either,
    city_is,
    ends_with,
    flag_is,
    mentions_all,
    required_text,
    years_since,
)
from .facts import ESTABLISHED_ON, LEGAL_PERSON, REGISTERED_CITY, SERIOUS_DISHONESTY, area, count, flag

SUSPENSION_OR_LICENSE_REVOCATION = flag("suspension_or_license_revocation_penalty",
                                        "单位是否受到停产停业、吊销证照等行政处罚")
LEGAL_REP_CRIMINAL_PENALTY = flag("legal_rep_criminal_penalty", "法定代表人是否受到刑事处罚")
OFFICE_AREA = area("office_area_m2", "固定办公场所面积")
EVENT_SPACE = area("event_space_m2", "可供开展活动、举办宣讲会的服务空间面积")
FULLTIME_STAFF = count("fulltime_staff", "具有相关专业知识及经验的专职人员", "名")
SRDI_VISITS = count("srdi_service_visits_last_year", "上年度服务专精特新企业", "家次")
SMES_SERVED = count("smes_served_last_year", "上年度服务中小企业数量", "家")
WELFARE_ACTIVITIES = count("public_welfare_activities_last_year", "上年度为中小企业提供的公益类活动", "次")

RULES = TypeRules(
    code="bj_srdi_station",
    facts=(LEGAL_PERSON, REGISTERED_CITY, ESTABLISHED_ON, SERIOUS_DISHONESTY, SUSPENSION_OR_LICENSE_REVOCATION,
           LEGAL_REP_CRIMINAL_PENALTY, OFFICE_AREA, EVENT_SPACE, FULLTIME_STAFF, SRDI_VISITS, SMES_SERVED,
           WELFARE_ACTIVITIES),
    rules=(
        flag_is(LEGAL_PERSON, True, article="第五条（二）", kind="general",
                when_true="具有独立法人资格", when_false="不具有独立法人资格（一般应具有）"),
        city_is(REGISTERED_CITY, "beijing", article="第五条（二）"),
        years_since(ESTABLISHED_ON, 2, article="第五条（二）"),
        flag_is(SERIOUS_DISHONESTY, False, article="第五条（三）",
                when_true="单位或法定代表人存在严重失信行为", when_false="无严重失信行为"),
        flag_is(SUSPENSION_OR_LICENSE_REVOCATION, False, article="第五条（三）",
                when_true="单位受到停产停业、吊销证照等行政处罚", when_false="单位未受到停产停业、吊销证照等行政处罚"),
        flag_is(LEGAL_REP_CRIMINAL_PENALTY, False, article="第五条（三）",
                when_true="法定代表人受到刑事处罚", when_false="法定代表人未受到刑事处罚"),
        at_least(OFFICE_AREA, 100, article="第六条（一）"),
        at_least(EVENT_SPACE, 1000, article="第六条（一）"),
        at_least(FULLTIME_STAFF, 3, article="第六条（二）"),
        at_least_either("srdi_service_visits_or_smes_served", (SRDI_VISITS, 50), (SMES_SERVED, 300),
                        article="第六条（三）"),
        at_least(WELFARE_ACTIVITIES, 15, article="第六条（三）"),
    ),
    required_attachments=(
        AttachmentSpec("business_license", "营业执照（法人登记证书）复印件", "第五条（二）"),
        AttachmentSpec("premises_proof", "办公场所及服务空间产权证明或租赁合同", "第六条（一）"),
        AttachmentSpec("staff_list", "专职人员名单及劳动合同或社保缴纳证明", "第六条（二）"),
        AttachmentSpec("service_records", "上年度服务企业清单及公益类活动证明材料", "第六条（三）"),
        AttachmentSpec("signed_application", "加盖公章的申报书", "第七条（二）"),
    ),
    submission_checks=(
        ends_with("carrier_name", "服务站名称", "服务站", article="第四条",
                  reason="服务站名称应由“公司简称”加“服务站”构成，须以“服务站”结尾",
                  help_text="由“公司简称”加“服务站”构成，例如“某某科技服务站”。"),
        mentions_all("service_plan", "服务方案", ("服务目标", "服务内容", "实施计划", "保障措施"), article="第十一条",
                     help_text="请分别写明：服务目标；服务内容和实施计划；工作保障措施。"),
        mentions_all("work_rules", "工作制度", ("工作流程", "服务标准", "人员管理"), article="第十二条",
                     help_text="请分别写明：工作流程；服务标准；人员管理。"),
        required_text("liaison_name", "联络员姓名", article="第十三条"),
        required_text("liaison_phone", "联络员电话", article="第十三条"),
    ),
    # 第十九、二十条: grounds of revocation; the measures set no re-apply ban.
    revocation_grounds=(
        RevocationGround("evaluation_failed", "年度绩效评价结果不合格", "第十九条"),
        RevocationGround("missed_evaluation", "未按要求参加年度绩效评价", "第二十条（一）"),
        RevocationGround("false_materials", "在申报和绩效评价中提供虚假材料和数据", "第二十条（二）"),
        RevocationGround("law_violation",
                         "单位或法定代表人违反有关法律法规，受到刑事处罚或停产停业、吊销证照等行政处罚",
                         "第二十条（三）"),
        RevocationGround("serious_dishonesty", "单位或法定代表人存在严重失信行为", "第二十条（四）"),
        RevocationGround("other", "其他不符合要求的情况", "第二十条（五）"),
    ),
)
