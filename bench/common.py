"""Shared pieces of the benchmarks: the machine, scratch databases, result files."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_SERVER = os.environ.get("QMS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCRATCH_DIR = Path(os.environ.get("QMS_BENCH_DIR", Path(tempfile.gettempdir()) / "qms_h_gen_bench"))
PG_PREFIX = "qms_h_gen_bench_"
DATABASES = ("sqlite", "postgresql")


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def postgres_version() -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:
        return None


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": postgres_version(),
        "load_average": list(os.getloadavg()),
    }


def pg_url(name: str) -> str:
    return f"{PG_SERVER}/{PG_PREFIX}{name}"


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_drop(name: str) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_PREFIX}{name}" WITH (FORCE)')


def pg_create(name: str, template: str | None = None) -> None:
    pg_drop(name)
    suffix = f' TEMPLATE "{PG_PREFIX}{template}"' if template else ""
    pg_admin(f'CREATE DATABASE "{PG_PREFIX}{name}"{suffix}')


def sqlite_path(name: str) -> Path:
    SCRATCH_DIR.mkdir(parents=True, exist_ok=True)
    return SCRATCH_DIR / f"{name}.sqlite3"


def sqlite_drop(name: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path(name)}{suffix}").unlink(missing_ok=True)


def sqlite_copy(source: str, target: str) -> None:
    """Copy a closed SQLite database (after a checkpoint) under another name."""
    with sqlite3.connect(sqlite_path(source)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sqlite_drop(target)
    shutil.copyfile(sqlite_path(source), sqlite_path(target))


def env_for(database: str, name: str) -> dict[str, str]:
    """The environment of a benchmark process working on scratch database ``name``."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["QMS_VAR_DIR"] = str(SCRATCH_DIR / "var")
    if database == "postgresql":
        env["DATABASE_URL"] = pg_url(name)
    else:
        env.pop("DATABASE_URL", None)
        env["QMS_SQLITE_PATH"] = str(sqlite_path(name))
    return env


def run_step(database: str, name: str, module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m bench.<module> args`` against scratch database ``name``; its last
    stdout line is a JSON object."""
    proc = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args],
        env=env_for(database, name),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(proc.stderr[-4000:] if proc.returncode else "")
    if proc.returncode:
        raise RuntimeError(f"bench.{module} {' '.join(args)} failed on {database}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def migrate(database: str, name: str) -> None:
    if database == "postgresql":
        pg_create(name)
    else:
        sqlite_drop(name)
    proc = subprocess.run(
        [sys.executable, "-m", "qms.cli", "migrate", "-v0"],
        env=env_for(database, name),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"migrate failed on {database}: {proc.stderr[-2000:]}")


def clone(database: str, source: str, target: str) -> None:
    if database == "postgresql":
        pg_create(target, template=source)
    else:
        sqlite_copy(source, target)


def drop(database: str, name: str) -> None:
    if database == "postgresql":
        pg_drop(name)
    else:
        sqlite_drop(name)


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path
