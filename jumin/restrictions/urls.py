from django.urls import path

from jumin.restrictions import views

app_name = "restrictions"
urlpatterns = [
    path("protections/", views.protection_list, name="protection_list"),
    path("protections/new/", views.protection_new, name="protection_new"),
    path("protections/rows/<str:kind>", views.protection_row, name="protection_row"),
    path("protections/<int:order_id>/", views.protection_detail, name="protection_detail"),
    path("protections/<int:order_id>/extend/", views.protection_extend, name="protection_extend"),
    path("protections/<int:order_id>/end/", views.protection_end, name="protection_end"),
    path("protections/<int:order_id>/persons/", views.protection_add_person, name="protection_add_person"),
    path("protections/<int:order_id>/offenders/", views.protection_add_offender, name="protection_add_offender"),
    path("protections/<int:order_id>/details/", views.protection_edit, name="protection_edit"),
    path("restrictions/", views.restriction_list, name="restriction_list"),
    path("restrictions/<int:restriction_id>/end/", views.restriction_end, name="restriction_end"),
    path("restrictions/<int:restriction_id>/release/", views.restriction_release, name="restriction_release"),
]
