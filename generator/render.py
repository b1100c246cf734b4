"""Render stage: one Jinja environment for every page.

Autoescape is on for everything and undefined names are errors, so a typo in
a layout stops the build with `layouts/x.html:12: ...` instead of printing
an empty string.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from .cache import CacheDamaged
from .errors import ContentError
from .routes import Route
from .urls import Links


class Renderer:
    def __init__(
        self,
        layouts: Path,
        globals_: Mapping[str, Any],
        links: Links,
        asset_href: Callable[[str], str],
    ) -> None:
        self.layouts = layouts
        self.used: set[str] = set()  # the build keeps the assets a page named here
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(layouts)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(globals_)
        self.env.globals["href"] = links.href
        self.env.globals["asset"] = asset_href

    def render(self, route: Route) -> str:
        try:
            template = self.env.get_template(route.template)
            return template.render(route.context(), current_url=route.url)
        except CacheDamaged:
            raise  # not the layout's fault: the build starts again without the cache
        except jinja2.TemplateSyntaxError as error:
            raise ContentError(
                self._shown(error.name or route.template),
                error.lineno,
                error.message or "syntax error",
            ) from None
        except jinja2.TemplateNotFound as error:
            raise ContentError(
                self._shown(route.template), None, f"layout '{error.name}' not found"
            ) from None
        except Exception as error:
            name, line = self._template_frame(error)
            raise ContentError(
                self._shown(name or route.template), line, f"{type(error).__name__}: {error}"
            ) from None

    def _shown(self, name: str) -> str:
        path = Path(name)
        if not path.is_absolute():
            path = self.layouts / name
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()

    def _template_frame(self, error: BaseException) -> tuple[str | None, int | None]:
        """The innermost traceback frame that is a layout file (Jinja rewrites frames)."""
        found: tuple[str | None, int | None] = (None, None)
        root = str(self.layouts.resolve())
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
                found = (frame.filename, frame.lineno)
        return found
