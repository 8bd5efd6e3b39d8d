from django.http import HttpResponse
from django.urls import path

from jumin.api import api


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("api/", api.urls),
    path("healthz", health),
]
