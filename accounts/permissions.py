"""Role checks used by views; every view states who may use it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(*roles, org_admin=False):
    """Allow only signed-in users whose role is one of ``roles`` (superusers always)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_superuser:
                if user.role not in roles:
                    raise PermissionDenied("您的账号无权访问此页面。")
                if org_admin and not user.is_org_admin:
                    raise PermissionDenied("只有单位管理员可以进行此操作。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
