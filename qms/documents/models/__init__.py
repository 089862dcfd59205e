from .documents import Document, DocumentStatusChange
from .types import DocumentType

__all__ = ["Document", "DocumentStatusChange", "DocumentType"]
