from django.urls import path

import jumin.core.http  # noqa: F401  (registers the <text:…> converter)

from jumin.counter import views

app_name = "counter"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("residents/<text:addressee_number>/", views.record, name="record"),
    path("residents/<text:addressee_number>/history/", views.history, name="history"),
    path("residents/<text:addressee_number>/as-of/", views.as_of, name="as_of"),
    path("addressees/new/", views.non_resident_form, name="non_resident_new"),
    path("addressees/<text:addressee_number>/", views.non_resident, name="non_resident"),
    path("addressees/<text:addressee_number>/change/", views.non_resident_form, name="non_resident_change"),
    path("changes/member-row", views.member_row, name="member_row"),
    path("changes/<int:change_id>/receipt/", views.receipt, name="receipt"),
    path("changes/<str:kind>/", views.change, name="change"),
    path("changes/<str:kind>/back/", views.change_back, name="change_back"),
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/<int:change_id>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:change_id>/edit/", views.draft_edit, name="draft_edit"),
    path("check/date", views.check_date, name="check_date"),
    path("check/relationship", views.check_relationship, name="check_relationship"),
    path("lookup/postcode", views.lookup_postcode, name="lookup_postcode"),
    path("terminal", views.set_terminal, name="terminal"),
]
