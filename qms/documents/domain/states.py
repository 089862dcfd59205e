"""Document states, the transition table and the coded rejection reasons. Pure Python."""

from __future__ import annotations

from enum import StrEnum


class DocState(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class DocAction(StrEnum):
    UPLOAD = "upload"
    VERIFY = "verify"
    REJECT = "reject"
    EXPIRE = "expire"
    SUPERSEDE = "supersede"


TRANSITIONS: dict[tuple[DocState, DocAction], DocState] = {
    (DocState.PENDING, DocAction.VERIFY): DocState.VERIFIED,
    (DocState.PENDING, DocAction.REJECT): DocState.REJECTED,
    (DocState.PENDING, DocAction.EXPIRE): DocState.EXPIRED,
    (DocState.VERIFIED, DocAction.EXPIRE): DocState.EXPIRED,
    (DocState.VERIFIED, DocAction.SUPERSEDE): DocState.SUPERSEDED,
}

# A document in one of these states counts against the duplicate-file rule.
LIVE_STATES = frozenset({DocState.PENDING, DocState.VERIFIED})


class IllegalDocumentMove(Exception):
    """Raised by ``next_state``; services turn it into ``IllegalTransition``."""

    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"{action} is not allowed in state {state}")
        self.state = state
        self.action = action


def next_state(state: DocState | str, action: DocAction | str) -> DocState:
    try:
        return TRANSITIONS[(DocState(state), DocAction(action))]
    except (KeyError, ValueError):
        raise IllegalDocumentMove(str(state), str(action)) from None


def allowed_actions(state: DocState | str) -> list[DocAction]:
    return [a for (s, a) in TRANSITIONS if s == DocState(state)]


# Why a reviewer rejects a document. Stable codes; labels are shown in the user's language.
REJECT_REASONS: dict[str, str] = {
    "illegible": "The scan is illegible or incomplete",
    "wrong_type": "The file is not a document of the declared type",
    "number_mismatch": "The number entered does not match the document",
    "holder_mismatch": "The document is issued to another company or person",
    "expired": "The document has expired or expires too soon",
    "scope_insufficient": "The licence scope does not cover the goods sold",
    "forgery_suspected": "The document appears altered or forged",
    "issuer_unverifiable": "The issuer or the number cannot be confirmed at the source",
    "other": "Other (explained in the note)",
}
REJECT_REASONS_ZH: dict[str, str] = {
    "illegible": "扫描件不清晰或不完整",
    "wrong_type": "文件不是所申报类型的证件",
    "number_mismatch": "填写的编号与证件不符",
    "holder_mismatch": "证件持有人为其他公司或个人",
    "expired": "证件已过期或即将过期",
    "scope_insufficient": "许可范围未涵盖所售商品",
    "forgery_suspected": "证件疑似被篡改或伪造",
    "issuer_unverifiable": "无法向发证机关核实证件或编号",
    "other": "其他（见备注）",
}
REASONS_NEEDING_NOTE = frozenset({"other", "forgery_suspected", "scope_insufficient"})
