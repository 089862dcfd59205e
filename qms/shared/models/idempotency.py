from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """The stored outcome of one POST sent with an ``Idempotency-Key`` header.

    ``scope`` identifies the caller (hash of the token, or the session user), so two callers
    may use the same key. A retry with the same key and body gets the stored response; with
    another body it gets a 422; while the first is still running, a 409.
    """

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
