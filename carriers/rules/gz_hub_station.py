"""广州市民营和中小企业服务总站: commissioned by the city (三（一）委托), no public application.

No facts and no eligibility rules; ``publicly_applicable`` is false in
fixtures/carrier_types.json, so the self-check page and the API refuse it.
"""

from .base import TypeRules

RULES = TypeRules(code="gz_hub_station")
