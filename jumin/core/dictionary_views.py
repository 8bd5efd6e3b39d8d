"""The dictionary screen /dictionary/ (issue #16 item 1): the entities, their items, and a search by Japanese name,
code name or 基本データリスト name. Works without JavaScript (a GET form, `?q=` and `?entity=`); with htmx the
results follow the typing. Authorizes and parses only: core/dictionary_queries reads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jumin.core import dictionary_queries as queries
from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for, refused_or_missing_page


@login_required
@require_GET
def dictionary(request):
    query = request.GET.get("q", "")
    entity = request.GET.get("entity", "") or None
    try:
        context = queries.screen(query, entity, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    template = "core/_dictionary_results.html" if request.headers.get("HX-Request") else "core/dictionary.html"
    return render(request, template, context)
