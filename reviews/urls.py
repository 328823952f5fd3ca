from django.urls import path

from .views import announcements, city, dashboards, district, experts, hub_designation, notices, received_lists, review

app_name = "reviews"

urlpatterns = [
    path("review/<int:pk>/", review.review_detail, name="detail"),
    # GZ expert review: the hub (服务总站) and the experts (评审专家)
    path("hub/queue/", experts.hub_queue, name="hub_queue"),
    path("hub/applications/<int:pk>/", experts.hub_application, name="hub_application"),
    path("hub/applications/<int:pk>/assign/", experts.hub_assign, name="hub_assign"),
    path("hub/applications/<int:pk>/remove/", experts.hub_remove, name="hub_remove"),
    path("hub/applications/<int:pk>/compile/", experts.hub_compile, name="hub_compile"),
    path("expert/queue/", experts.expert_queue, name="expert_queue"),
    path("expert/applications/<int:pk>/score/", experts.expert_score, name="expert_score"),
    # The city bureau (市主管部门)
    path("city/queue/", city.city_queue, name="city_queue"),
    path("city/applications/<int:pk>/decide/", city.city_decide, name="city_decide"),
    path("city/district-lists/", received_lists.district_lists, name="city_district_lists"),
    path("city/district-lists/<int:list_pk>/", received_lists.district_list, name="city_district_list"),
    # 公告 (final list, carriers created) and the GZ hub designation (委托)
    path("city/announcements/", announcements.announcement_list, name="announcement_list"),
    path("city/announcements/new/<int:round_pk>/", announcements.announcement_new, name="announcement_new"),
    path("city/announcements/<int:pk>/", announcements.announcement_detail, name="announcement_detail"),
    # 统计分析: dashboards of the city bureau and of a district
    path("city/dashboard/", dashboards.city_dashboard, name="city_dashboard"),
    path("district/dashboard/", dashboards.district_dashboard, name="district_dashboard"),
    path("city/hub/", hub_designation.hub_designation, name="hub_designation"),
    # 公示 and 异议: the city publishes notices and decides objections; the public reads and objects
    path("city/notices/", notices.city_notices, name="city_notices"),
    path("city/notices/new/", notices.city_notice_new, name="city_notice_new"),
    path("city/objections/", notices.city_objections, name="city_objections"),
    path("city/objections/<int:pk>/", notices.city_objection, name="city_objection"),
    path("city/objections/<int:pk>/letter/", notices.city_objection_letter, name="city_objection_letter"),
    path("notices/", notices.public_notices, name="notices"),
    path("notices/<int:pk>/", notices.public_notice, name="notice"),
    path("notices/<int:pk>/pdf/", notices.public_notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/object/", notices.public_notice_object, name="notice_object"),
    # District officers (区中小企业主管部门): queue, decisions, the recommendation list and its exports
    path("district/queue/", district.queue, name="district_queue"),
    path("district/applications/<int:pk>/return/", district.return_application, name="district_return"),
    path("district/applications/<int:pk>/reject/", district.reject_application, name="district_reject"),
    path("district/applications/<int:pk>/list/add/", district.add_to_list, name="district_list_add"),
    path("district/applications/<int:pk>/list/remove/", district.remove_from_list, name="district_list_remove"),
    path("district/rounds/<int:round_pk>/list/", district.round_list, name="district_list"),
    path("district/rounds/<int:round_pk>/list/entries/", district.list_entries, name="district_list_entries"),
    path("district/rounds/<int:round_pk>/list/submit/", district.list_submit, name="district_list_submit"),
    path("district/lists/<int:list_pk>/export.xlsx", district.list_xlsx, name="district_list_xlsx"),
    path("district/lists/<int:list_pk>/export.pdf", district.list_pdf, name="district_list_pdf"),
]
