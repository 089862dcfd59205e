from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("account/team/", views.team, name="team"),
    path(
        "account/team/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("console/users/", views.users, name="users"),
    path("console/users/<int:user_id>/active/", views.set_active, name="set_active"),
]
