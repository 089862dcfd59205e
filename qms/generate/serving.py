"""Run qms on one machine: static files, the task worker, the deadline scheduler, the web server.

``qms serve`` and ``qms demo`` use this. The worker and scheduler are child processes of the
server; Ctrl-C (or SIGTERM) stops the web server and then the children.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command, get_commands

MARKER = ".qms-collected"


def static_fingerprint() -> str:
    """A hash of every static source file's path, size and modification time."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            full = Path(storage.path(path))
            stat = full.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collectstatic_if_needed(log: Callable[[str], None]) -> bool:
    """Collect static files unless the sources are unchanged since the last collection."""
    root = Path(settings.STATIC_ROOT)
    marker = root / MARKER
    fingerprint = static_fingerprint()
    if marker.exists() and marker.read_text().strip() == fingerprint:
        return False
    log("Collecting static files…")
    call_command("collectstatic", interactive=False, verbosity=0)
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint)
    return True


def child_commands() -> list[tuple[str, list[str]]]:
    """The background processes next to the web server: (label, argv)."""
    commands = get_commands()
    qms = [sys.executable, "-m", "qms.cli"]
    out: list[tuple[str, list[str]]] = []
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_db") and "db_worker" in commands:
        out.append(("task worker", [*qms, "db_worker"]))
    elif "rqworker" in commands:
        out.append(("task worker", [*qms, "rqworker", "default"]))
    if "run_scheduler" in commands:
        out.append(("deadline scheduler", [*qms, "run_scheduler"]))
    return out


def start_children(log: Callable[[str], None]) -> list[subprocess.Popen[bytes]]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    children = []
    for label, argv in child_commands():
        proc = subprocess.Popen(argv, env=env)  # noqa: S603 - our own interpreter and module
        log(f"Started the {label} (pid {proc.pid}): {' '.join(argv[3:])}")
        children.append(proc)
    return children


def stop_children(children: list[subprocess.Popen[bytes]], timeout: float = 10.0) -> None:
    for proc in children:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in children:
        remaining = max(0.1, deadline - time.monotonic())
        try:
            proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve_forever(*, host: str, port: int, threads: int, log: Callable[[str], None]) -> None:
    """Collect static files, start the children, run waitress until Ctrl-C or SIGTERM."""
    from waitress import serve

    from config.wsgi import application

    collectstatic_if_needed(log)
    children = start_children(log)

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGINT, signal.SIGTERM)}
    log(f"Serving qms on http://{host}:{port}/ (Ctrl-C stops everything)")
    try:
        serve(application, host=host, port=port, threads=threads, ident="qms")
    except KeyboardInterrupt:
        pass  # waitress usually catches it itself and returns
    finally:
        log("Stopping the worker and the scheduler…")
        stop_children(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log("Stopped.")
