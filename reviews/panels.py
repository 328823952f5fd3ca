"""The action panel shown on the review page, by the viewer's role.

Each role's module registers a builder returning (template, context); a role
without one sees the page read-only.
"""

PANELS = {}


def register(role):
    def decorator(builder):
        PANELS[role] = builder
        return builder

    return decorator


def panel_for(request, application, rules):
    user = request.user
    builder = None if user.is_superuser else PANELS.get(user.role)
    if builder is None:
        return None, {}
    return builder(request, application, rules)
