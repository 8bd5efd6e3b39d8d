from django.http import HttpResponse
from django.urls import include, path

from jumin.api import api
from jumin.core.dictionary_views import dictionary
from jumin.core.views import home
from jumin.linkage import views as linkage_views


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("api/", api.urls),
    path("healthz", health),
    path("oauth/token", linkage_views.token, name="oauth_token"),
    path("oauth/introspect", linkage_views.introspect, name="oauth_introspect"),
    path("", include("jumin.accounts.urls")),
    path("counter/", include("jumin.counter.urls")),
    path("certificates/", include("jumin.certificates.urls")),
    path("restrictions/", include("jumin.restrictions.urls")),
    path("seals/", include("jumin.seals.urls")),
    path("euc/", include("jumin.euc.urls")),
    path("statistics/", include("jumin.stats.urls")),
    path("linkage/", include("jumin.linkage.urls")),
    path("dictionary/", dictionary, name="dictionary"),
    path("", home, name="home"),
]
