"""The policy texts the portal applies, by their exact titles (domain.md, "The texts and their exact titles").

Cite a text through these names only, never by retyping its title:

    f"{texts.BJ_SRDI_STATION}第二十一条"   # 《北京市专精特新企业服务站建设管理办法》第二十一条
    texts.cite("bj_srdi_station", "第二十一条")
"""

BJ_SRDI_STATION = "《北京市专精特新企业服务站建设管理办法》"
BJ_DEMO_PLATFORM = "《北京市中小企业公共服务示范平台管理办法》（2022年）"
BJ_DEMO_BASE = "《北京市小型微型企业创业创新示范基地管理办法》"
GZ_SERVICE_STATION = "《广州市民营和中小企业服务站建设工作指引》"
# A consultation draft: its figures are configurable targets shown as the draft's, never rules.
BJ_WORK_PLAN_DRAFT = "《北京市中小企业公共服务体系提质增效工作方案（征求意见稿）》"

BY_TYPE = {
    "bj_srdi_station": BJ_SRDI_STATION,
    "bj_demo_platform": BJ_DEMO_PLATFORM,
    "bj_demo_base": BJ_DEMO_BASE,
    "gz_service_station": GZ_SERVICE_STATION,
    "gz_hub_station": GZ_SERVICE_STATION,
}
IN_FORCE = (BJ_SRDI_STATION, BJ_DEMO_PLATFORM, BJ_DEMO_BASE, GZ_SERVICE_STATION)


def title_of(type_code: str) -> str:
    """The exact title of the text that governs carrier type ``type_code``."""
    return BY_TYPE[type_code]


def cite(type_code: str, article: str) -> str:
    """An article of the text governing ``type_code``: ``《…》第二十一条``."""
    return f"{BY_TYPE[type_code]}{article}"
