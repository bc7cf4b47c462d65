from django.urls import path

from . import views

app_name = "gazette"

urlpatterns = [
    path("", views.register, name="register"),
    path("van-ban/<int:pk>/", views.document_detail, name="document"),
    path("van-ban/<int:pk>/tep/<int:file_id>/", views.document_file, name="document_file"),
    path("so/", views.issues, name="issues"),
    path("so/<int:year>/<int:number>/", views.issue_detail, name="issue"),
    path("so/<int:year>/<int:number>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("rss/van-ban.xml", views.documents_feed, name="documents_feed"),
    path("rss/so.xml", views.issues_feed, name="issues_feed"),
    path("xuat.csv", views.export_csv, name="export_csv"),
    path("xuat.xlsx", views.export_xlsx, name="export_xlsx"),
]
