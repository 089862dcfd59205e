from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    # staff console
    path("console/documents/", views.review_queue, name="review_queue"),
    path("console/documents/expiring/", views.expiring_list, name="expiring"),
    path("console/documents/<int:document_id>/", views.console_detail, name="detail"),
    path("console/documents/<int:document_id>/verify/", views.verify, name="verify"),
    path("console/documents/<int:document_id>/reject/", views.reject, name="reject"),
    # merchant portal
    path("portal/documents/", views.my_documents, name="my_documents"),
    path("portal/documents/upload/", views.upload, name="upload"),
    path("portal/documents/<int:document_id>/", views.portal_detail, name="portal_detail"),
    # the file itself, inline (previews) or as attachment (?download=1); scoped like the rest
    path("documents/<int:document_id>/file/", views.document_file, name="file"),
]
