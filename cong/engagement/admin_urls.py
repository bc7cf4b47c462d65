from django.urls import path

from .views import admin

app_name = "engagement_admin"

urlpatterns = [
    path("hoi-dap/", admin.questions_index, name="questions"),
    path("hoi-dap/qua-han/", admin.questions_overdue, name="questions_overdue"),
    path("hoi-dap/them/", admin.question_add, name="question_add"),
    path("hoi-dap/<int:pk>/", admin.question_detail, name="question"),
    path("so-ho-tro/", admin.support_index, name="support"),
    path("so-ho-tro/them/", admin.support_add, name="support_add"),
    path("du-thao/", admin.consultations_index, name="consultations"),
    path("du-thao/them/", admin.consultation_add, name="consultation_add"),
    path("du-thao/<int:pk>/", admin.consultation_detail, name="consultation"),
    path("du-thao/<int:pk>/tong-hop.<str:fmt>", admin.consultation_export, name="consultation_export"),
    path("thong-bao/", admin.notices_index, name="notices"),
    path("thong-bao/<int:pk>/", admin.notice_detail, name="notice"),
    path("thong-bao/<int:pk>/minh-chung/", admin.notice_proof, name="notice_proof"),
    path("yeu-cau-thong-tin/", admin.info_requests_index, name="info_requests"),
    path("yeu-cau-thong-tin/<int:pk>/", admin.info_request_detail, name="info_request"),
    path("du-lieu-ca-nhan/", admin.personal_data, name="personal_data"),
]
