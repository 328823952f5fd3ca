"""JSON API: ``POST /api/v1/eligibility/<type_code>/`` evaluates declared facts against the type's rules."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from .eligibility import InvalidFacts, evaluate, parse_eligibility_request, public_type_rules, today_in_china
from .rules import UnknownCarrierType

DEFAULT_RATE = "60/m"


def api_rate(group, request) -> str:
    """Requests per IP; ``ELIGIBILITY_API_RATE`` in settings overrides the default of 60 a minute."""
    return getattr(settings, "ELIGIBILITY_API_RATE", DEFAULT_RATE)


def _errors(status: int, errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@ratelimit(key="ip", rate=api_rate, method="POST", block=False)
def eligibility(request, type_code: str):
    if request.method != "POST":
        response = _errors(405, {"__all__": ["仅支持 POST 请求。"]})
        response["Allow"] = "POST"
        return response
    if getattr(request, "limited", False):
        return _errors(429, {"__all__": ["请求过于频繁，请稍后再试。"]})
    try:
        _, rules = public_type_rules(type_code)
    except UnknownCarrierType:
        return _errors(404, {"type": [f"没有可公开申报的载体类型“{type_code}”。"]})
    try:
        facts, as_of = parse_eligibility_request(rules, request.body, default_as_of=today_in_china())
    except InvalidFacts as invalid:
        return _errors(400, invalid.errors)
    report = evaluate(rules, facts, as_of)
    return JsonResponse(report.as_dict(), json_dumps_params={"ensure_ascii": False})
