"""北京市小型微型企业创业创新示范基地: 《北京市小型微型企业创业创新示范基地管理办法》第六、七条.

第六条（一）"一般应具有独立法人资格" and 第六条（五）"原则上不少于60家（40家）"
are general conditions; the rest of 第六条 is hard. Holding an active
专精特新服务站 title is a bonus (服务站办法第十四条: 申报示范基地时予以倾斜).
"""

from decimal import Decimal

from .base import AttachmentSpec, TypeRules
from .bj_demo_common import DEMO_REVOCATION_GROUNDS
from .checks import (
    at_least,
    at_least_or_relaxed,
    bonus_when_true,
    city_is,
    flag_is,
    required_text,
    service_function_minimum,
    years_since,
)
from .facts import (
    CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y,
    ESTABLISHED_ON,
    LEGAL_PERSON,
    PROVIDES_FREE_SERVICES,
    QUALIFIED_STAFF,
    REGISTERED_CITY,
    SERIOUS_DISHONESTY,
    area,
    count,
    flag,
    ratio,
    service_functions,
)

SERVICE_FUNCTIONS = ("创业辅导", "创新支持", "信息服务", "投融资服务", "人员培训", "管理咨询", "专业咨询", "产业链服务")
HIGH_END_NOTE = "高精尖领域制造业基地"

BUILDING_AREA = area("building_area_m2", "基地建筑总面积")
PUBLIC_SPACE = area("public_service_space_m2", "公共服务空间面积")
HIGH_END_BASE = flag("high_end_manufacturing_base",
                     "是否为聚集新一代信息技术、医药健康、集成电路、智能网联汽车、智能制造等“高精尖”领域制造业企业的基地")
RESIDENTS = count("resident_small_micro_enterprises", "入驻本市小型、微型企业", "家")
CONCENTRATION = ratio("top2_industry_concentration", "两个主导产业的企业集聚度",
                      help_text="属于两个主导产业的入驻企业家数与入驻企业总数之比，以 0 到 1 之间的小数填写。")
RESIDENT_SATISFACTION = ratio("resident_satisfaction_rate", "入驻小微企业用户满意度")
SERVICE_STATION = flag("has_enterprise_service_station",
                       "是否建有企业服务站（固定办公场所和服务设备、明确岗位的服务人员、工作指南和制度流程）")
HOLDS_SRDI_STATION = flag("holds_active_srdi_station", "是否持有有效的北京市专精特新企业服务站称号")
FUNCTIONS = service_functions(SERVICE_FUNCTIONS,
                              help_text="至少具备其中三项，含基地引入的第三方专业机构的服务（第七条）。")

RULES = TypeRules(
    code="bj_demo_base",
    service_functions=SERVICE_FUNCTIONS,
    min_service_functions=3,
    facts=(LEGAL_PERSON, REGISTERED_CITY, ESTABLISHED_ON, CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y, SERIOUS_DISHONESTY,
           BUILDING_AREA, PUBLIC_SPACE, HIGH_END_BASE, RESIDENTS, CONCENTRATION, QUALIFIED_STAFF,
           RESIDENT_SATISFACTION, PROVIDES_FREE_SERVICES, SERVICE_STATION, FUNCTIONS, HOLDS_SRDI_STATION),
    rules=(
        flag_is(LEGAL_PERSON, True, article="第六条（一）", kind="general",
                when_true="具有独立法人资格", when_false="不具有独立法人资格（一般应具有）"),
        city_is(REGISTERED_CITY, "beijing", article="第六条（一）"),
        years_since(ESTABLISHED_ON, 2, article="第六条（一）"),
        flag_is(CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y, False, article="第六条（二）",
                when_true="申请受理截止日期前两年内受到刑事及严重行政处罚",
                when_false="申请受理截止日期前两年内未受到刑事及严重行政处罚"),
        flag_is(SERIOUS_DISHONESTY, False, article="第六条（二）",
                when_true="单位或法定代表人存在严重失信行为", when_false="无严重失信行为"),
        at_least(BUILDING_AREA, 5000, article="第六条（四）"),
        at_least(PUBLIC_SPACE, 500, article="第六条（四）"),
        at_least_or_relaxed(RESIDENTS, 60, relaxed_by=HIGH_END_BASE, relaxed_threshold=40,
                            relaxed_note=HIGH_END_NOTE, article="第六条（五）", kind="general"),
        at_least_or_relaxed(CONCENTRATION, Decimal("0.60"), relaxed_by=HIGH_END_BASE,
                            relaxed_threshold=Decimal("0.80"),
                            relaxed_note=HIGH_END_NOTE, article="第六条（五）", kind="general"),
        at_least(QUALIFIED_STAFF, 8, article="第六条（八）"),
        at_least(RESIDENT_SATISFACTION, Decimal("0.90"), article="第六条（九）"),
        flag_is(PROVIDES_FREE_SERVICES, True, article="第六条（九）",
                when_true="为入驻企业提供公益性免费服务", when_false="未为入驻企业提供公益性免费服务"),
        flag_is(SERVICE_STATION, True, article="第六条（十）",
                when_true="建有企业服务站", when_false="未建有企业服务站"),
        service_function_minimum(FUNCTIONS, 3, article="第七条"),
        bonus_when_true(HOLDS_SRDI_STATION, article="《北京市专精特新企业服务站建设管理办法》第十四条",
                        message="持有有效的北京市专精特新企业服务站称号，申报示范基地时予以倾斜"),
    ),
    required_attachments=(
        AttachmentSpec("business_license", "营业执照（法人登记证书）复印件", "第六条（一）"),
        AttachmentSpec("project_approval", "基地建设立项手续及产权证明或租赁合同", "第六条（三）（四）"),
        AttachmentSpec("resident_list", "入驻本市小型、微型企业名单（注明所属产业）", "第六条（五）"),
        AttachmentSpec("staff_qualifications", "服务人员学历及职称证明", "第六条（八）"),
        AttachmentSpec("satisfaction_survey", "入驻企业满意度调查材料", "第六条（九）"),
        AttachmentSpec("service_station_proof", "企业服务站场所、人员及制度材料", "第六条（十）"),
        AttachmentSpec("srdi_station_certificate", "北京市专精特新企业服务站证书", "服务站办法第十四条",
                       required=False),
        AttachmentSpec("signed_application", "加盖公章的申报书", "第十条"),
    ),
    submission_checks=(required_text("carrier_name", "示范基地名称"),),
    revocation_grounds=DEMO_REVOCATION_GROUNDS,
)
