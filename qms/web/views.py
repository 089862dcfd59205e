from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qms.accounts.services import login_with_password
from qms.shared.errors import DomainError


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    return render(request, "web/home.html", {})


def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            user = login_with_password(request=request, username=request.POST.get("username", ""),
                                       password=request.POST.get("password", ""))
        except DomainError as exc:
            error = exc.message
        else:
            login(request, user)
            return redirect("web:home")
    return render(request, "web/login.html", {"error": error}, status=400 if error else 200)


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
    return redirect("web:login")
