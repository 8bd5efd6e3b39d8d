from django.urls import path

from jumin.seals import views

app_name = "seals"
urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register_form, name="register"),
    path("guarantor", views.guarantor, name="guarantor"),
    path("inquiries/<str:inquiry_number>/", views.inquiry, name="inquiry"),
    path("inquiries/<str:inquiry_number>/letter.pdf", views.inquiry_letter, name="inquiry_letter"),
    path("inquiries/<str:inquiry_number>/impression.png", views.inquiry_impression, name="inquiry_impression"),
    path("registrations/<str:registration_number>/impression.png", views.registration_impression,
         name="impression"),
    path("registrations/<str:registration_number>/loss", views.card_loss, name="card_loss"),
    path("registrations/<str:registration_number>/reissue", views.card_reissue, name="card_reissue"),
    path("registrations/<str:registration_number>/abolish", views.abolish, name="abolish"),
    path("certificate/", views.certificate, name="certificate"),
]
