"""Re-scan and concurrency tests that need PostgreSQL are collected only there."""

import os

collect_ignore = (
    [] if os.environ.get("DATABASE_URL", "").startswith("postgres") else ["test_concurrency_pg.py"]
)
