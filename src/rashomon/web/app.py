"""The local web app: stories, briefings, articles, adding articles, search.

Server-rendered pages with no JavaScript; every HTML page has a JSON twin
under ``/api`` and the OpenAPI description is at ``/openapi.json``. The app
calls the same library functions as the CLI (:mod:`rashomon.pipeline`).

Adding is bounded (:class:`rashomon.config.WebSettings`): each client
address has a token bucket of add requests (HTTP 429 when it is empty) and at
most ``max_queued_jobs`` jobs wait behind the running one (HTTP 503 beyond);
both answers carry ``Retry-After``. The HTML form shows the same message with
the same status as its JSON twin.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated as Param

import jinja2
from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from .. import pipeline
from ..config import Settings, WebSettings
from ..errors import RashomonError
from ..records import to_data
from ..report import render, source_label
from ..report.html import render_html
from ..store import Store
from .jobs import Busy, Jobs, RateLimit

__all__ = ["create_app", "UploadLimits"]

MAX_FILES = 20
MAX_PASTE_CHARS = 500_000


class UploadLimits:
    """How much one request may add: files, bytes per file, pasted characters."""

    def __init__(self, files: int = MAX_FILES, file_bytes: int = 10 * 1024 * 1024, paste_chars: int = MAX_PASTE_CHARS):
        self.files, self.file_bytes, self.paste_chars = files, file_bytes, paste_chars


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.web", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )


def _page(name: str, status_code: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(**context), status_code, headers)


def create_app(db: str | Path, settings: Settings = Settings(), limits: UploadLimits | None = None,
               web: WebSettings = WebSettings()) -> FastAPI:
    """The app over the store at ``db``. Fetching from private addresses is off."""
    limits = limits or UploadLimits(file_bytes=settings.ingest.max_bytes)
    settings = replace(settings, ingest=replace(settings.ingest, allow_private=False))
    with Store.open(db):
        pass  # create or migrate the database before the first request
    app = FastAPI(title="rashomon", version="0.1.0", docs_url=None, redoc_url=None)
    app.state.db, app.state.settings, app.state.limits = str(db), settings, limits
    app.state.jobs = Jobs(str(db), settings, web)
    app.state.rate = RateLimit(web.adds_per_minute, web.add_burst)

    @app.exception_handler(RashomonError)
    async def _rashomon_error(request: Request, error: RashomonError):
        return JSONResponse({"error": str(error)}, status_code=400)

    _story_routes(app)
    _article_routes(app)
    _add_routes(app)
    return app


def _store(app: FastAPI) -> Store:
    return Store.open(app.state.db)


def _story_rows(store: Store) -> list[dict]:
    rows = []
    for story in store.stories():
        articles = store.articles(story.articles)
        rows.append({
            "id": story.id, "label": story.label, "first": story.first, "last": story.last,
            "articles": len(articles), "outlets": sorted({source_label(a) for a in articles}),
        })
    rows.sort(key=lambda r: (-(r["articles"]), r["last"] or "", r["id"]))
    return rows


def _story_routes(app: FastAPI) -> None:
    @app.get("/api/stories")
    def stories_json() -> list[dict]:
        with _store(app) as store:
            return _story_rows(store)

    @app.get("/", response_class=HTMLResponse)
    def stories_page():
        with _store(app) as store:
            return _page("stories.html.j2", stories=_story_rows(store), articles=store.count())

    @app.get("/api/stories/{story_id}")
    def story_json(story_id: str):
        with _store(app) as store:
            briefing = pipeline.story_briefing(store, story_id, app.state.settings)
        return JSONResponse(content=json.loads(render(briefing, "json")))

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str):
        with _store(app) as store:
            briefing = pipeline.story_briefing(store, story_id, app.state.settings)
        return HTMLResponse(render_html(briefing, home="/"))

    @app.get("/docs", response_class=HTMLResponse)
    def docs_page():
        return _page("docs.html.j2", paths=app.openapi()["paths"])


def _article_routes(app: FastAPI) -> None:
    @app.get("/api/articles/{article_id}")
    def article_json(article_id: str):
        with _store(app) as store:
            return to_data(_find(store, article_id))

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str):
        with _store(app) as store:
            article = _find(store, article_id)
            story = next((s for s in store.stories() if article_id in s.articles), None)
        return _page("article.html.j2", a=article, label=source_label(article), story=story)

    @app.get("/api/search")
    def search_json(q: str = "", limit: int = 50):
        with _store(app) as store:
            return [{"article": a, "title": t, "snippet": s} for a, t, s in store.search(q, limit)] if q.strip() else []

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = ""):
        return _page("search.html.j2", q=q, hits=search_json(q))


def _find(store: Store, article_id: str):
    try:
        return store.article(article_id)
    except (KeyError, RashomonError):
        raise HTTPException(404, f"no article {article_id!r} in this store") from None


def _add_routes(app: FastAPI) -> None:
    @app.get("/add", response_class=HTMLResponse)
    def add_page():
        return _page("add.html.j2", limits=app.state.limits, error=None)

    @app.post("/api/add")
    async def add_json(
        request: Request,
        url: Param[str, Form()] = "",
        feed: Param[str, Form()] = "",
        text: Param[str, Form()] = "",
        title: Param[str, Form()] = "",
        outlet: Param[str, Form()] = "",
        files: Param[list[UploadFile] | None, File()] = None,
    ) -> dict:
        _admit(app, request)
        fields = {"url": url, "feed": feed, "text": text, "title": title, "outlet": outlet}
        return await _accept(app, fields, files or [])

    @app.post("/add", response_class=HTMLResponse)
    async def add_form(request: Request):
        try:
            _admit(app, request)  # before the body is parsed: a refused client costs little
            async with request.form() as form:  # closes the uploaded files' temporary copies
                files = [f for f in form.getlist("files") if hasattr(f, "filename")]
                fields = {name: str(form.get(name, "")) for name in ("url", "feed", "text", "title", "outlet")}
                result = await _accept(app, fields, files)
        except HTTPException as error:
            return _page("add.html.j2", error.status_code, error.headers, limits=app.state.limits, error=error.detail)
        return RedirectResponse(result["page"], status_code=303)

    @app.get("/api/jobs/{job_id}")
    def job_json(job_id: str) -> dict:
        job = app.state.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return job

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(job_id: str):
        return _page("job.html.j2", job=job_json(job_id))


def _refused(busy: Busy) -> HTTPException:
    return HTTPException(busy.status, str(busy), headers={"Retry-After": str(busy.retry_after)})


def _admit(app: FastAPI, request: Request) -> None:
    """Spend one of the client's add tokens; HTTP 429 with ``Retry-After`` when none is left."""
    try:
        app.state.rate.take(request.client.host if request.client else "unknown")
    except Busy as busy:
        raise _refused(busy) from None


def _check(limits: UploadLimits, fields: dict[str, str], uploads: list) -> list[str]:
    """The URLs to fetch; HTTP 400 or 413 when the request asks for what is not allowed."""
    sources = [fields[k].strip() for k in ("url", "feed") if fields[k].strip()]
    for source in sources:
        if not source.lower().startswith(("http://", "https://")):
            raise HTTPException(400, f"{source!r}: only http and https addresses can be fetched")
    if len(fields["text"]) > limits.paste_chars:
        raise HTTPException(413, f"pasted text has {len(fields['text']):,} characters; the limit is {limits.paste_chars:,}")
    if len(uploads) > limits.files:
        raise HTTPException(413, f"{len(uploads)} files uploaded; the limit is {limits.files} per request")
    if not sources and not uploads and not fields["text"].strip():
        raise HTTPException(400, "nothing to add: give a URL, a feed URL, pasted text or files")
    return sources


async def _accept(app: FastAPI, fields: dict[str, str], files: list) -> dict:
    """Check the request, save its uploads and queue the job; HTTP 503 when the queue is full."""
    limits: UploadLimits = app.state.limits
    uploads = [f for f in files if f.filename]
    sources = _check(limits, fields, uploads)
    try:
        app.state.jobs.check_room()  # before saving uploads: a full queue costs little
        folder = Path(tempfile.mkdtemp(prefix="rashomon-upload-"))
        try:
            for upload in uploads:
                sources.append(str(await _save_upload(upload, folder, limits.file_bytes)))
            job = app.state.jobs.submit(sources, _pasted(fields["text"], fields["title"], fields["outlet"]), cleanup=folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    except Busy as busy:
        raise _refused(busy) from None
    return {"job": job, "status": f"/api/jobs/{job}", "page": f"/jobs/{job}"}


def _pasted(text: str, title: str, outlet: str) -> dict | None:
    if not text.strip():
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    known = {k: v.strip() for k, v in (("title", title), ("outlet", outlet)) if v.strip()}
    return {"text": text, "source": f"pasted:{digest}", "known": known}


async def _save_upload(upload: UploadFile, folder: Path, cap: int) -> Path:
    name = Path(upload.filename or "upload.txt").name or "upload.txt"
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(64 * 1024):
            size += len(chunk)
            if size > cap:
                raise HTTPException(413, f"{name}: larger than the {cap:,}-byte limit per file")
            out.write(chunk)
    return target
