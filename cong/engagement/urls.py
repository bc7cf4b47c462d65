"""Public URLs; included before Wagtail's catch-all in config/urls.py. They
take over the standard sections of the same slugs."""

from django.urls import path

from .views import public

app_name = "engagement"

urlpatterns = [
    path("hoi-dap/", public.library, name="library"),
    path("hoi-dap/gui-cau-hoi/", public.ask, name="ask"),
    path("hoi-dap/tra-cuu/", public.lookup, name="lookup"),
    path("hoi-dap/<int:pk>/", public.answer, name="answer"),
    path("hoi-dap/<int:pk>/danh-gia/", public.rate, name="rate"),
    path("lay-y-kien-du-thao/", public.consultations, name="consultations"),
    path("lay-y-kien-du-thao/<int:pk>/", public.consultation, name="consultation"),
    path("thong-bao/", public.notices, name="notices"),
    path("thong-bao/gui-thong-bao/", public.notice_submit, name="notice_submit"),
    path("thong-bao/<int:pk>/", public.notice, name="notice"),
    path("tiep-can-thong-tin/", public.access_info, name="access_info"),
    path("tiep-can-thong-tin/yeu-cau/", public.info_request, name="info_request"),
    path("tiep-can-thong-tin/tra-cuu/", public.info_lookup, name="info_lookup"),
]
