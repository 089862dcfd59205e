"""qms: quality management for e-commerce marketplaces."""

__version__ = "0.1.0"
