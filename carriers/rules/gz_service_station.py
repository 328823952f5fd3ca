"""广州市民营和中小企业服务站: 《广州市民营和中小企业服务站建设工作指引》四（一）2.

All conditions are hard, including the legal person (在广州注册并具备法人资格).
Capability, experience and influence (四（一）2（3）) are narrative, judged by
the experts the hub organises: no rule here.
"""

from .base import AttachmentSpec, ExpertCriterion, RevocationGround, TypeRules
from .checks import at_least, city_is, flag_is, required_text
from .facts import LEGAL_PERSON, REGISTERED_CITY, count, flag

FIXED_OFFICE = flag("has_fixed_office", "是否具备开展服务所需的固定办公场所和办公条件")
MANAGEMENT_SYSTEM = flag("has_service_management_system", "是否已建立民营和中小企业服务管理制度和服务架构")
FULLTIME_STAFF = count("fulltime_staff", "专职提供民营和中小企业服务的工作人员", "名")

RULES = TypeRules(
    code="gz_service_station",
    facts=(REGISTERED_CITY, LEGAL_PERSON, FIXED_OFFICE, MANAGEMENT_SYSTEM, FULLTIME_STAFF),
    rules=(
        city_is(REGISTERED_CITY, "guangzhou", article="四（一）2（1）"),
        flag_is(LEGAL_PERSON, True, article="四（一）2（1）",
                when_true="具备法人资格", when_false="不具备法人资格"),
        flag_is(FIXED_OFFICE, True, article="四（一）2（2）",
                when_true="具备固定办公场所和办公条件", when_false="不具备固定办公场所和办公条件"),
        flag_is(MANAGEMENT_SYSTEM, True, article="四（一）2（4）",
                when_true="已建立服务管理制度和服务架构", when_false="未建立服务管理制度和服务架构"),
        at_least(FULLTIME_STAFF, 2, article="四（一）2（5）"),
    ),
    required_attachments=(
        AttachmentSpec("application_form", "《广州市民营和中小企业服务站申请表》（加盖公章）", "四（一）3（1）"),
        AttachmentSpec("business_license", "营业执照（法人登记证书）复印件", "四（一）2（1）"),
        AttachmentSpec("premises_proof", "固定办公场所证明材料", "四（一）2（2）"),
        AttachmentSpec("capability_materials", "民营和中小企业服务能力、服务经验及影响力材料", "四（一）2（3）"),
        AttachmentSpec("management_system", "服务管理制度和服务架构材料", "四（一）2（4）"),
        AttachmentSpec("staff_list", "专职工作人员名单", "四（一）2（5）"),
    ),
    submission_checks=(required_text("carrier_name", "服务站名称"),),
    # 四（一）3（2）: the hub organises the expert review. The guideline names what is judged
    # (capability, experience, influence, management, premises and staff); the weights and the
    # pass mark are the portal's, to be confirmed by the city bureau.
    expert_criteria=(
        ExpertCriterion("capability", "民营和中小企业服务能力", 30, "四（一）2（3）"),
        ExpertCriterion("experience", "民营和中小企业服务经验", 25, "四（一）2（3）"),
        ExpertCriterion("influence", "在区域、行业中的影响力和知名度", 20, "四（一）2（3）"),
        ExpertCriterion("management", "服务管理制度和服务架构", 15, "四（一）2（4）"),
        ExpertCriterion("premises_staff", "服务场所、办公条件与专职人员配备", 10, "四（一）2（2）（5）"),
    ),
    expert_pass_mark=60,
    re_review_in_final_year=True,
    # 四（三）: the eight grounds; ground 7 is the station's own request to stop (withdrawn, not revoked).
    revocation_grounds=(
        RevocationGround("law_violation", "存在违法违规行为，受到行政机关、司法机关处罚或信用评价不合格", "四（三）1"),
        RevocationGround("false_materials", "申请资料弄虚作假", "四（三）2"),
        RevocationGround("convention_breach", "严重违反服务公约", "四（三）3"),
        RevocationGround("no_support", "不支持市区两级主管部门相关工作，无正当理由不参加公共服务活动", "四（三）4"),
        RevocationGround("no_re_review", "三年期满不申请复核或复核未通过", "四（三）5"),
        RevocationGround("assessment_failed", "无故不参加年度考核，或整改后年度考核结果仍为“不合格”", "四（三）6"),
        RevocationGround("voluntary_withdrawal", "主动申请不再承担服务站工作", "四（三）7", withdraws=True),
        RevocationGround("other", "其他情形不适宜承担服务站工作", "四（三）8"),
    ),
)
