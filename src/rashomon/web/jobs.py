"""Background jobs of the web app: adding articles while pages keep serving.

One worker thread runs jobs in order (the store takes one writer at a time);
each job reports progress that ``/api/jobs/<id>`` shows. Admission is bounded
twice: :class:`Jobs` refuses a job when ``max_queued_jobs`` are already
waiting (:class:`Busy`, HTTP 503), and :class:`RateLimit` is a token bucket
per client address (:class:`Busy`, HTTP 429).
"""

from __future__ import annotations

import logging
import math
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import pipeline
from ..config import Settings, WebSettings
from ..errors import ConfigError
from ..store import Store

__all__ = ["Jobs", "RateLimit", "Busy"]

log = logging.getLogger(__name__)

#: Seconds a client is told to wait when the queue is full.
QUEUE_RETRY_SECONDS = 30
#: Finished jobs remembered for their status pages; older ones are forgotten first.
KEEP_FINISHED = 1_000
_CLIENTS = 10_000  # above this many tracked addresses, idle (full) buckets are dropped


class Busy(Exception):
    """The app will not take this job now; ``status`` is 429 or 503, retry after ``retry_after`` s."""

    def __init__(self, status: int, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class RateLimit:
    """A token bucket per client: ``burst`` requests at once, then ``per_minute`` a minute."""

    def __init__(self, per_minute: float, burst: int, clock=time.monotonic) -> None:
        if per_minute <= 0 or burst < 1:
            raise ConfigError(f"WebSettings adds_per_minute={per_minute}, add_burst={burst}: "
                              "give a rate above 0 and a burst of at least 1")
        self._rate, self._burst, self._clock = per_minute / 60.0, float(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, client: str) -> None:
        """Spend one token of ``client``'s bucket; :class:`Busy` (429) when it is empty."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(client, (self._burst, now))
            tokens = min(self._burst, tokens + (now - then) * self._rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self._rate)
                raise Busy(429, wait, f"too many add requests from {client}: at most {self._burst:g} at once "
                                      f"and {self._rate * 60:g} a minute; try again in {wait} s")
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > _CLIENTS:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        for client, (tokens, then) in list(self._buckets.items()):
            if tokens + (now - then) * self._rate >= self._burst:
                del self._buckets[client]


class Jobs:
    def __init__(self, db: str, settings: Settings, web: WebSettings = WebSettings()) -> None:
        if web.max_queued_jobs < 0:
            raise ConfigError(f"WebSettings max_queued_jobs={web.max_queued_jobs}: give 0 or more")
        self._db, self._settings, self._max_queued = db, settings, web.max_queued_jobs
        self._jobs: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rashomon-job")

    def check_room(self) -> None:
        """:class:`Busy` (503) when ``max_queued_jobs`` jobs are already waiting."""
        with self._lock:
            self._check_room()

    def _check_room(self) -> None:
        unfinished = sum(job["state"] in ("queued", "running") for job in self._jobs.values())
        if unfinished > self._max_queued:  # one runs, the rest wait
            raise Busy(503, QUEUE_RETRY_SECONDS, f"{unfinished - 1} add jobs are already waiting behind the "
                                                 f"running one (the limit is {self._max_queued}); try again in "
                                                 f"{QUEUE_RETRY_SECONDS} s")

    def submit(self, sources: list[str], pasted: dict | None, cleanup: Path | None = None) -> str:
        """Queue a job and return its id; :class:`Busy` (503) when the queue is full."""
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._check_room()
            self._forget_finished()
            self._jobs[job_id] = {"id": job_id, "state": "queued", "task": "", "done": 0, "total": None,
                                  "added": 0, "skipped": [], "stories": [], "error": None}
        self._pool.submit(self._run, job_id, sources, pasted, cleanup)
        return job_id

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return dict(job) if job else None

    def _forget_finished(self) -> None:
        finished = [j for j, job in self._jobs.items() if job["state"] in ("done", "failed")]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job_id]

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
