from django.urls import path

from .views import declaration, rounds

app_name = "applications"

urlpatterns = [
    path("rounds/", rounds.public_rounds, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/attachments/<int:attachment_pk>/", rounds.round_attachment_download,
         name="round_attachment"),
    path("rounds/<int:round_pk>/apply/", declaration.start, name="start"),
    path("manage/rounds/", rounds.manage_rounds, name="manage_rounds"),
    path("manage/rounds/new/", rounds.round_edit, name="round_new"),
    path("manage/rounds/<int:pk>/", rounds.manage_round_detail, name="manage_round_detail"),
    path("manage/rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("manage/rounds/<int:pk>/attachments/", rounds.round_attachment_add, name="round_attachment_add"),
    path("applications/", declaration.my_applications, name="mine"),
    path("applications/<int:pk>/", declaration.detail, name="detail"),
    path("applications/<int:pk>/sections/<slug:key>/", declaration.section, name="section"),
    path("applications/<int:pk>/attachments/", declaration.attachments, name="attachments"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", declaration.attachment_download,
         name="attachment"),
    path("applications/<int:pk>/submit/", declaration.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", declaration.withdraw, name="withdraw"),
    path("applications/<int:pk>/pdf/", declaration.application_pdf, name="pdf"),
]
