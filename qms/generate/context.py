"""What every builder shares during a run: parameters, reference data, pools, id cursor."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from qms.documents.expiry import lapse_moment

from .domain.clock import Clock
from .domain.names import NamePools
from .writer import RowSink

# Bump when the generator's output changes, so a run is never resumed by different code.
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class Params:
    seed: int
    merchants: int
    documents_per_merchant: int = 8
    as_of: str = ""  # ISO date the data is "today" for (expiry windows are relative to it)
    with_files: bool = False
    # "demo": many documents expire within 30/7/1 days so every screen has something to show;
    # "uniform": expiry dates spread evenly over each document's validity (benchmarks).
    expiry_profile: str = "demo"

    def fingerprint(self) -> str:
        body = json.dumps({**asdict(self), "version": GENERATOR_VERSION}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()

    @property
    def today(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)

    @property
    def now(self) -> dt.datetime:
        """10:00 in the business time zone on ``as_of``: the generated data's present."""
        tz = ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)
        return dt.datetime.combine(self.today, dt.time(10, 0), tzinfo=tz).astimezone(dt.UTC)


class IdCursor:
    """Next primary key per model label. Saved with every committed batch."""

    def __init__(self, start: dict[str, int]) -> None:
        self.next = dict(start)

    def take(self, label: str) -> int:
        value = self.next[label]
        self.next[label] = value + 1
        return value

    def peek(self, label: str) -> int:
        return self.next[label]


@dataclass
class CategoryInfo:
    id: int
    code: str
    top: str
    risk_level: str
    deposit_amount: str
    currency: str
    name_en: str
    name_zh: str
    required: dict[str, list[str]]  # market -> document type codes (inherited)


@dataclass
class DocTypeInfo:
    id: int
    code: str
    requires_expiry: bool
    name_en: str
    name_zh: str


@dataclass
class Reference:
    categories: list[CategoryInfo]
    by_top: dict[str, list[CategoryInfo]]
    doc_types: dict[str, DocTypeInfo]
    templates: list[tuple[int, str]] = field(default_factory=list)  # published: (id, text sha256)


@dataclass
class Context:
    params: Params
    ref: Reference
    pools: NamePools
    ids: IdCursor
    sink: RowSink
    now: dt.datetime
    today: dt.date
    extra: dict[str, Any] = field(default_factory=dict)
    clock: Clock = field(init=False)

    def __post_init__(self) -> None:
        self.clock = Clock(lapse_moment)
        self.clock.now_s = int(self.now.timestamp())

    def rng_for(self, index: int) -> random.Random:
        """The random stream of merchant ``index``: independent of batch size and resumes."""
        return random.Random(self.params.seed * 1_000_003 + index)
