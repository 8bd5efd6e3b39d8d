from django.urls import path

import jumin.core.http  # noqa: F401  (registers the <text:…> converter)

from jumin.seals import views

app_name = "seals"
urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register_form, name="register"),
    path("guarantor", views.guarantor, name="guarantor"),
    path("inquiries/<text:inquiry_number>/", views.inquiry, name="inquiry"),
    path("inquiries/<text:inquiry_number>/letter.pdf", views.inquiry_letter, name="inquiry_letter"),
    path("inquiries/<text:inquiry_number>/impression.png", views.inquiry_impression, name="inquiry_impression"),
    path("registrations/<text:registration_number>/impression.png", views.registration_impression,
         name="impression"),
    path("registrations/<text:registration_number>/loss", views.card_loss, name="card_loss"),
    path("registrations/<text:registration_number>/reissue", views.card_reissue, name="card_reissue"),
    path("registrations/<text:registration_number>/abolish", views.abolish, name="abolish"),
    path("certificate/", views.certificate, name="certificate"),
]
