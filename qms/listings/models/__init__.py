from .listing import Listing, ListingImage, ListingStatusChange, ListingVersion
from .rescan import RescanFinding, RescanJob
from .review import Appeal, ReviewTask
from .rules import RuleVersion

__all__ = [
    "Appeal",
    "Listing",
    "ListingImage",
    "ListingStatusChange",
    "ListingVersion",
    "RescanFinding",
    "RescanJob",
    "ReviewTask",
    "RuleVersion",
]
