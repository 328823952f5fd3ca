"""北京市中小企业公共服务示范平台: 《北京市中小企业公共服务示范平台管理办法（2022年）》第六、七条.

第六条（一）"一般应具有独立法人资格" and 第六条（三）"原则上不少于100家" are
general conditions; the rest of 第六条 is hard. 第六条末款 (run by a
government body, public institution or association) lets the reviewer relax
the conditions: a bonus result, it never changes ``eligible``.
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
    count,
    flag,
    money,
    ratio,
    service_functions,
)

SERVICE_FUNCTIONS = ("综合咨询", "创业辅导", "技术创新", "数字化应用", "人力资源", "融资促进")

TOTAL_ASSETS = money("total_assets_cny", "资产总额")
SMES_SERVED_JJJ = count("smes_served_per_year_jjj", "年服务京津冀中小企业数量", "家")
HIGH_END_STAGE = flag("high_end_manufacturing_stage",
                      "是否聚焦“高精尖”产业领域，在小试中试、概念验证、智能制造等生产制造环节提供服务")
PARTNER_INSTITUTIONS = count("partner_service_institutions", "集聚的专业服务机构", "家")
INFORMATION_SYSTEM = flag("has_information_service_system", "是否具备具有信息展示、查询功能的信息化服务系统")
REVENUE_SHARE = ratio("sme_service_revenue_share", "为中小企业提供服务的营业收入占比")
SATISFACTION = ratio("satisfaction_rate", "服务对象满意度")
GOVERNMENT_RUN = flag("government_or_association_run", "是否由机关事业单位、社团法人主办")
FUNCTIONS = service_functions(SERVICE_FUNCTIONS, help_text="至少具备其中一项（第七条）。")

RULES = TypeRules(
    code="bj_demo_platform",
    service_functions=SERVICE_FUNCTIONS,
    min_service_functions=1,
    facts=(LEGAL_PERSON, REGISTERED_CITY, ESTABLISHED_ON, TOTAL_ASSETS, CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y,
           SERIOUS_DISHONESTY, SMES_SERVED_JJJ, HIGH_END_STAGE, PARTNER_INSTITUTIONS, INFORMATION_SYSTEM,
           QUALIFIED_STAFF, REVENUE_SHARE, PROVIDES_FREE_SERVICES, SATISFACTION, FUNCTIONS, GOVERNMENT_RUN),
    rules=(
        flag_is(LEGAL_PERSON, True, article="第六条（一）", kind="general",
                when_true="具有独立法人资格", when_false="不具有独立法人资格（一般应具有）"),
        city_is(REGISTERED_CITY, "beijing", article="第六条（一）"),
        years_since(ESTABLISHED_ON, 2, article="第六条（一）"),
        at_least(TOTAL_ASSETS, 3_000_000, article="第六条（一）"),
        flag_is(CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y, False, article="第六条（二）",
                when_true="申请受理截止日期前两年内受到刑事及严重行政处罚",
                when_false="申请受理截止日期前两年内未受到刑事及严重行政处罚"),
        flag_is(SERIOUS_DISHONESTY, False, article="第六条（二）",
                when_true="单位或法定代表人存在严重失信行为", when_false="无严重失信行为"),
        at_least_or_relaxed(SMES_SERVED_JJJ, 100, relaxed_by=HIGH_END_STAGE, relaxed_threshold=50,
                            relaxed_note="高精尖生产制造环节服务平台",
                            article="第六条（三）", kind="general"),
        at_least(PARTNER_INSTITUTIONS, 5, article="第六条（四）"),
        flag_is(INFORMATION_SYSTEM, True, article="第六条（五）",
                when_true="具备信息化服务系统", when_false="不具备具有信息展示、查询功能的信息化服务系统"),
        at_least(QUALIFIED_STAFF, 8, article="第六条（七）"),
        at_least(REVENUE_SHARE, Decimal("0.50"), article="第六条（八）"),
        flag_is(PROVIDES_FREE_SERVICES, True, article="第六条（八）",
                when_true="面向中小企业提供公益性免费服务", when_false="未面向中小企业提供公益性免费服务"),
        at_least(SATISFACTION, Decimal("0.90"), article="第六条（九）"),
        service_function_minimum(FUNCTIONS, 1, article="第七条"),
        bonus_when_true(GOVERNMENT_RUN, article="第六条末款",
                        message="由机关事业单位、社团法人主办：服务业绩突出、示范带动作用明显的，上述条件可适度放宽，由评审决定"),
    ),
    required_attachments=(
        AttachmentSpec("business_license", "营业执照（法人登记证书）复印件", "第六条（一）"),
        AttachmentSpec("audit_report", "上年度财务审计报告（含资产总额、服务中小企业营业收入）", "第六条（一）（八）"),
        AttachmentSpec("service_records", "年服务京津冀中小企业名单", "第六条（三）"),
        AttachmentSpec("partner_agreements", "与专业服务机构的合作协议", "第六条（四）"),
        AttachmentSpec("staff_qualifications", "服务人员学历及职称证明", "第六条（七）"),
        AttachmentSpec("satisfaction_survey", "服务对象满意度调查材料", "第六条（九）"),
        AttachmentSpec("sponsor_proof", "主办单位（机关事业单位、社团法人）证明", "第六条末款", required=False),
        AttachmentSpec("signed_application", "加盖公章的申报书", "第十条"),
    ),
    submission_checks=(required_text("carrier_name", "示范平台名称"),),
    revocation_grounds=DEMO_REVOCATION_GROUNDS,
)
