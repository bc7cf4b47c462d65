from django.urls import path

from .views import public

urlpatterns = [
    path("-/a/e", public.collect, name="analytics_collect"),
    path("-/a/n.gif", public.pixel, name="analytics_pixel"),
    path("-/a/dem.json", public.counter, name="analytics_counter"),
    path("-/thong-ke/", public.definitions, name="analytics_definitions"),
]
