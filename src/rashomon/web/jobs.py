"""Background jobs of the web app: adding articles while pages keep serving.

One worker thread runs jobs in order (the store takes one writer at a time);
each job reports progress that ``/api/jobs/<id>`` shows.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import pipeline
from ..config import Settings
from ..store import Store

__all__ = ["Jobs"]

log = logging.getLogger(__name__)


class Jobs:
    def __init__(self, db: str, settings: Settings) -> None:
        self._db, self._settings = db, settings
        self._jobs: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rashomon-job")

    def submit(self, sources: list[str], pasted: dict | None, cleanup: Path | None = None) -> str:
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._jobs[job_id] = {"id": job_id, "state": "queued", "task": "", "done": 0, "total": None,
                                  "added": 0, "skipped": [], "stories": [], "error": None}
        self._pool.submit(self._run, job_id, sources, pasted, cleanup)
        return job_id

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return dict(job) if job else None

    def _update(self, job_id: str, **fields) -> None:
        with self._lock:
            self._jobs[job_id].update(fields)

    def _run(self, job_id: str, sources: list[str], pasted: dict | None, cleanup: Path | None) -> None:
        self._update(job_id, state="running")

        def progress(task: str, done: int, total: int | None) -> None:
            self._update(job_id, task=task, done=done, total=total)

        try:
            with Store.open(self._db) as store:
                result = pipeline.add(store, sources, self._settings, pasted=[pasted] if pasted else [], progress=progress)
            self._update(job_id, state="done", added=result.added, stories=list(result.stories),
                         skipped=[{"source": s.source, "reason": s.reason} for s in result.skips])
        except Exception as error:  # a job's failure is shown on its page, never lost
            log.exception("job %s failed", job_id)
            self._update(job_id, state="failed", error=str(error))
        finally:
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)
