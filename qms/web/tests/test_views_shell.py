from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, override_settings

from qms.accounts.domain.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def test_login_page_renders_the_form_and_language_switch():
    res = Client().get("/login/")
    assert res.status_code == 200
    html = res.content.decode()
    assert 'name="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<title>Sign in · Marketplace Quality</title>" in html


def test_a_wrong_password_is_shown_next_to_the_form(make_user):
    make_user(Role.REVIEWER, username="rita")
    res = Client().post("/login/", {"username": "rita", "password": "wrong"})
    assert res.status_code == 400
    html = res.content.decode()
    assert 'role="alert"' in html
    assert "The user name or password is wrong." in html
    assert 'value="rita"' in html  # the user name is kept
    assert 'aria-invalid="true"' in html


def test_signing_in_sets_the_preferred_language(make_user):
    make_user(Role.REVIEWER, username="wang", preferred_language="zh-hans")
    client = Client()
    res = client.post("/login/", {"username": "wang", "password": PASSWORD})
    assert res.status_code == 302
    assert res.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get("/account/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "我的账户" in page


def test_sign_in_returns_to_a_safe_next_page_only(make_user):
    make_user(Role.REVIEWER, username="rita")
    ok = Client().post("/login/?next=/account/", {"username": "rita", "password": PASSWORD})
    assert ok["Location"] == "/account/"
    evil = Client().post(
        "/login/", {"username": "rita", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/"


def test_sign_out_needs_a_post(make_user):
    client = Client()
    client.force_login(make_user(Role.REVIEWER))
    assert client.get("/logout/").status_code == 302
    assert client.get("/account/").status_code == 200  # still signed in
    res = client.post("/logout/", follow=True)
    assert "You have signed out." in res.content.decode()
    assert client.get("/account/").status_code == 302


def test_language_switch_renders_chinese(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMIN, preferred_language="en"))
    assert "My account" in client.get("/account/").content.decode()
    res = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/account/"})
    assert res["Location"] == "/account/"
    html = client.get("/account/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "我的账户" in html
    assert "退出登录" in html
    assert 'aria-pressed="true">中文' in html


def test_shell_has_skip_link_htmx_and_csrf_header(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    html = client.get("/account/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'src="/static/vendor/htmx.min.js"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert '<main id="main"' in html
    assert 'action="/logout/"' in html


def test_unknown_page_gets_the_404_page(make_user):
    res = Client().get("/no-such-page/")
    assert res.status_code == 404
    html = res.content.decode()
    assert "Page not found" in html
    assert "qms.css" in html
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    html = client.get("/no-such-page/").content.decode()
    assert 'class="app-nav"' in html  # signed-in users keep their navigation


@override_settings(ROOT_URLCONF="qms.web.tests.urls")
def test_domain_errors_escaping_a_page_become_error_pages(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    res = client.get("/errors/not-found/")
    assert res.status_code == 404
    assert "No such merchant." in res.content.decode()
    res = client.get("/errors/denied/")
    assert res.status_code == 403
    assert "Access denied" in res.content.decode()
    assert "Your role does not allow this action." in res.content.decode()
    res = client.get("/errors/conflict/")
    assert res.status_code == 409
    assert "Another reviewer decided this application a moment ago." in res.content.decode()


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "/static/web/qms.css" in html


@pytest.mark.parametrize(
    ("state", "tone", "label"),
    [
        ("verified", "ok", "Verified"),
        ("pending", "warn", "Pending"),
        ("rejected", "danger", "Rejected"),
        ("in_review", "info", "In review"),
        ("awaiting_second_approval", "warn", "Awaiting second approval"),
        ("terminated", "muted", "Terminated"),
        ("awaiting_payment", "muted", "Awaiting payment"),
    ],
)
def test_state_badge_maps_states_to_tones_and_labels(state, tone, label):
    html = render_to_string("web/_state_badge.html", {"state": state})
    assert html == f'<span class="badge badge-{tone}" data-state="{state}">{label}</span>\n'


class _Form(forms.Form):
    legal_name = forms.CharField(label="Legal name", help_text="As on the business licence.")
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    accept = forms.BooleanField(label="I accept")


def test_field_include_shows_label_help_errors_and_required_marker():
    form = _Form(data={"website": "not a url"})
    html = render_to_string("web/_field.html", {"field": form["legal_name"]})
    assert '<label class="label" for="id_legal_name">Legal name<span class="required"' in html
    assert 'id="id_legal_name_helptext"' in html
    assert 'id="id_legal_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_legal_name_helptext id_legal_name_error"' in html
    optional = render_to_string("web/_field.html", {"field": form["website"]})
    assert 'class="required"' not in optional
    assert "Enter a valid URL." in optional
    checkbox = render_to_string("web/_field.html", {"field": form["accept"]})
    assert 'class="field field-checkbox has-error"' in checkbox
    assert checkbox.index('type="checkbox"') < checkbox.index("<label")


def test_bell_shows_the_number_of_unread_notifications(make_user):
    from qms.shared.models import Notification

    user = make_user(Role.REVIEWER)
    client = Client()
    client.force_login(user)
    assert 'class="count-badge"' not in client.get("/account/").content.decode()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user.pk,
                kind="test.kind",
                dedupe_key=f"k{i}",
                language="en",
                subject="s",
                body="b",
            )
            for i in range(3)
        ]
    )
    html = client.get("/account/").content.decode()
    assert 'aria-label="3 unread notifications">3</span>' in html


def test_an_expired_form_gets_a_friendly_page(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.REVIEWER))
    res = client.post("/logout/")
    assert res.status_code == 403
    assert "The form has expired" in res.content.decode()
    assert "/static/web/qms.css" in res.content.decode()
