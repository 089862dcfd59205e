"""Brand and authorisation state machines. Pure Python."""

from __future__ import annotations

from qms.shared.errors import IllegalTransition

from .constants import AuthorisationStatus, BrandStatus

BRAND_TRANSITIONS: dict[tuple[BrandStatus, str], BrandStatus] = {
    (BrandStatus.ACTIVE, "suspend"): BrandStatus.SUSPENDED,
    (BrandStatus.SUSPENDED, "reinstate"): BrandStatus.ACTIVE,
}

AUTHORISATION_TRANSITIONS: dict[tuple[AuthorisationStatus, str], AuthorisationStatus] = {
    (AuthorisationStatus.ACTIVE, "revoke"): AuthorisationStatus.REVOKED,
}


def next_brand_status(state: str, action: str) -> BrandStatus:
    try:
        return BRAND_TRANSITIONS[(BrandStatus(state), action)]
    except (KeyError, ValueError):
        raise IllegalTransition(state=state, action=action) from None


def next_authorisation_status(state: str, action: str) -> AuthorisationStatus:
    try:
        return AUTHORISATION_TRANSITIONS[(AuthorisationStatus(state), action)]
    except (KeyError, ValueError):
        raise IllegalTransition(state=state, action=action) from None
