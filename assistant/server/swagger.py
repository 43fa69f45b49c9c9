"""OpenAPI docs at /docs from the vendored swagger-ui-dist (FastAPI's default uses a CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor/swagger-ui"


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, "swagger.html", {"vendor": VENDOR, "openapi_url": request.app.openapi_url}
    )
    return response
