"""The home screen: who is logged in, what the role may do, which municipality. Counter screens come later."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jumin.accounts import rules
from jumin.core.models import current_municipality


@login_required
def home(request):
    user = request.user
    granted = rules.ROLE_PERMISSIONS.get(user.role, frozenset())
    permissions = [label for code, label in rules.PERMISSION_LABELS.items() if code in granted]
    return render(request, "core/home.html", {
        "role_label": user.get_role_display(),
        "permissions": permissions,
        "municipality": current_municipality(),
    })
