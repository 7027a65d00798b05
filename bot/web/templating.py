"""The Jinja2 environment shared by every page (autoescaped: student text never becomes HTML)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from bot.interests.catalog import RIASEC_NAMES, RIASEC_SHORT, interest_code_words
from bot.plans.content import postsecondary_options
from bot.web.sessions import CSRF_FIELD, csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))


def _when(value: dt.datetime | dt.date | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):  # a date ("2026-12-19", a step's due date) is a day, not midnight UTC
        value = dt.datetime.fromisoformat(value.rstrip("Z")) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return f"{value:%b} {value.day}, {value:%Y %H:%M} UTC"
    return f"{value:%b} {value.day}, {value:%Y}"


def _age(value: dt.datetime) -> str:
    minutes = int((dt.datetime.utcnow() - value).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _postsecondary(choice: str | None) -> str:
    option = postsecondary_options().get(choice or "")
    return option.name if option else "Not chosen yet"


def _credits(value: float | None) -> str:
    """A number of credits as people write it: 20, 0.5, 1.25."""
    return "-" if value is None else f"{value:g}"


templates.env.filters.update(when=_when, age=_age, label=_label, postsecondary=_postsecondary,
                             interest_code_words=interest_code_words, credits=_credits)
templates.env.globals.update(riasec_names=RIASEC_NAMES, riasec_short=RIASEC_SHORT, csrf_field=CSRF_FIELD)


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None):
    return templates.TemplateResponse(request, name, {"csrf_token": csrf_token(request), **(context or {})},
                                      status_code=status_code, headers=headers)
