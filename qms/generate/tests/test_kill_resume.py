"""A real ``kill -9`` of ``qms generate`` and ``--resume``: same rows as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qms.generate.services import MODELS

ARGS = [
    "generate",
    "--seed",
    "9",
    "--merchants",
    "1200",
    "--batch",
    "40",
    "--as-of",
    "2026-11-25",
    "--no-progress",
]


def _env(db: Path, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test", QMS_SQLITE_PATH=str(db), QMS_VAR_DIR=str(tmp)
    )
    return env


def _qms(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "qms.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {
            m._meta.db_table: conn.execute(
                f"SELECT * FROM {m._meta.db_table} ORDER BY id"  # noqa: S608 - model metadata
            ).fetchall()
            for m in MODELS
        }


def _last_batch(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("SELECT last_batch FROM generate_generationrun").fetchone()
    except sqlite3.OperationalError:
        return -1
    return row[0] if row else -1


@pytest.mark.slow
def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed.sqlite3", tmp_path / "clean.sqlite3"
    for db in (killed, clean):
        _qms("migrate", "-v0", env=_env(db, tmp_path))
    proc = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "qms.cli", *ARGS],
        env=_env(killed, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _last_batch(killed) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stopped_at = _last_batch(killed)
    assert 3 <= stopped_at < 29
    _qms(*ARGS, "--resume", env=_env(killed, tmp_path))
    _qms(*ARGS, env=_env(clean, tmp_path))
    with sqlite3.connect(killed) as conn:
        assert conn.execute(
            "SELECT count(*), max(status) FROM generate_generationrun"
        ).fetchone() == (1, "completed")
    assert _dump(killed) == _dump(clean)
