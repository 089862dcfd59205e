from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DocumentType(models.Model):
    """A kind of qualification document (business licence, SC licence, CCC certificate …).

    Reference data loaded from ``qms.documents.domain.types`` by a data migration and by
    ``qms load_document_types``; ``code`` is what catalog requirements refer to.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    markets = models.JSONField(_("markets"), default=list)
    requires_expiry = models.BooleanField(_("requires an expiry date"), default=False)
    number_pattern = models.CharField(_("number pattern"), max_length=300, blank=True)
    number_hint = models.CharField(_("number format"), max_length=200, blank=True)
    checksum = models.CharField(_("checksum"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    allowed_files = models.JSONField(_("accepted file types"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en
