from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from havering_improve.urls import urlpatterns as project_urls


@login_required
def floor(request):
    """The least a signed-in page can cost on this stack: session, user, a tiny template."""
    return render(request, "bench/floor.html")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urls]
