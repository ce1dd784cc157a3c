"""A store holding four of the five demo articles, annotated and clustered,
and a running web app over a copy of it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from rashomon import pipeline
from rashomon.store import Store
from rashomon.web.app import create_app

HELD_BACK = "meridian_wire_kesh.txt"  # pasted in by the tests, to join the story


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, demo_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "demo.db"
    files = [str(demo_dir / n) for n in sorted(p.name for p in demo_dir.iterdir()) if n.endswith((".txt", ".html")) and n != HELD_BACK]
    with Store.open(db) as store:
        pipeline.add(store, files)
    return db


@pytest.fixture
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copy(demo_store, target)
    return target


@pytest.fixture
def held_back_text(demo_dir: Path) -> str:
    return (demo_dir / HELD_BACK).read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(store_copy: Path):
    """The app served by uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store_copy), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
