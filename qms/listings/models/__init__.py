from .listing import Listing, ListingHit, ListingImage, ListingStatusChange, ListingVersion
from .rescan import RescanFinding, RescanJob
from .review import Appeal, ReviewTask
from .rules import RuleVersion

__all__ = [
    "Appeal",
    "Listing",
    "ListingHit",
    "ListingImage",
    "ListingStatusChange",
    "ListingVersion",
    "RescanFinding",
    "RescanJob",
    "ReviewTask",
    "RuleVersion",
]
