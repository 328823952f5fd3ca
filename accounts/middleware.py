"""Sign users out after a period without activity; officials sooner."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_KEY = "last_activity"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            kind = "official" if (user.is_superuser or user.is_official) else "applicant"
            limit = settings.SESSION_IDLE_TIMEOUT[kind]
            now = int(time.time())
            last = request.session.get(SESSION_KEY, now)
            if now - last > limit:
                logout(request)
                messages.warning(request, "由于长时间未操作，您已安全退出，请重新登录。")
                return redirect(settings.LOGIN_URL)
            request.session[SESSION_KEY] = now
        return self.get_response(request)
