"""What the BJ demonstration platform and base measures share word for word: 第十三至十五条.

第十三、十四条: an evaluation failed (or not taken part in) revokes the title; 第十五条: three grounds
that also bar a new application for two years. Not a carrier type (no RULES).
"""

from .base import RevocationGround

DEMO_REVOCATION_GROUNDS = (
    RevocationGround("evaluation_failed", "绩效评价结果不合格", "第十四条"),
    RevocationGround("missed_evaluation", "未按要求参加年度绩效评价（视同不合格）", "第十三条、第十四条"),
    RevocationGround("false_materials", "在申请认定和绩效评价中提供虚假材料和数据", "第十五条（一）", ban_years=2),
    RevocationGround("law_violation", "单位或法定代表人违反有关法律法规，受到刑事及严重行政处罚", "第十五条（二）",
                     ban_years=2),
    RevocationGround("serious_dishonesty", "单位或法定代表人存在司法、行政机关认定的严重失信行为", "第十五条（三）",
                     ban_years=2),
)
