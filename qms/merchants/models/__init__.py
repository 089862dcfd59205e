from .agreements import AgreementSignature, AgreementTemplate
from .application import Application, ApplicationCategory, ApplicationStatusChange
from .merchant import (
    Contact,
    ContactKind,
    GrantStatus,
    Merchant,
    MerchantBrand,
    MerchantCategory,
    MerchantSupplier,
    RegistrationScheme,
    RiskLevel,
    Shop,
    Standing,
    Supplier,
    SupplierKind,
    SupplierRelation,
)
from .standing import ReverificationTask, StandingChange, StandingRestriction
from .trader import TRADER_FIELDS, TraderInfo, TraderVerification

__all__ = [
    "TRADER_FIELDS",
    "AgreementSignature",
    "AgreementTemplate",
    "Application",
    "ApplicationCategory",
    "ApplicationStatusChange",
    "Contact",
    "ContactKind",
    "GrantStatus",
    "Merchant",
    "MerchantBrand",
    "MerchantCategory",
    "MerchantSupplier",
    "RegistrationScheme",
    "ReverificationTask",
    "RiskLevel",
    "Shop",
    "Standing",
    "StandingChange",
    "StandingRestriction",
    "Supplier",
    "SupplierKind",
    "SupplierRelation",
    "TraderInfo",
    "TraderVerification",
]
