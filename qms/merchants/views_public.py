"""The public shop page (no login): who sells here, as the law requires it to be shown.

PRC E-Commerce Law Art. 15: the business licence information (or a link to it) is displayed
continuously on the shop's home page. EU DSA Art. 30/31: the trader's name, address, telephone,
e-mail, trade register number and self-certification are shown to consumers. Payment accounts
and identity documents are never shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from . import selectors_agreements as sel


@cache_control(public=True, max_age=300)
def shop_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = sel.public_shop(slug=slug)
    return render(request, "merchants/public/shop.html", {"page": page})
