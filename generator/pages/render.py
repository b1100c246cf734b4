"""Render stage: one Jinja environment for every page.

Autoescape is on for everything and undefined names are errors, so a typo in
a layout stops the build with `layouts/x.html:12: ...` instead of printing
an empty string.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from generator import urls
from generator.errors import ContentError, StaleInput
from generator.pages import security
from generator.pages.assets import Asset
from generator.pages.routes import Route
from generator.settings import Settings


class Rendered(NamedTuple):
    html: str
    assets: frozenset[str]  # the assets the page named (they are published)


class Renderer:
    def __init__(
        self,
        layouts: Path,
        settings: Settings,
        links: urls.Links,
        assets: Mapping[str, Asset],
        assets_folder: Path,
    ) -> None:
        self.layouts = layouts
        self.links = links
        self.assets = assets
        self.assets_folder = assets_folder
        self._used: set[str] = set()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(layouts)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["nowrap"] = nowrap
        self.env.globals.update(
            {
                "site": {"title": settings.title, "description": settings.description},
                "pages": {name: links.href(url) for name, url in urls.NAMED.items()},
                "csp": security.CSP,
                "href": links.href,
                "asset": self._asset_href,
            }
        )

    def _asset_href(self, path: str) -> str:
        found = self.assets.get(path)
        if found is None:
            raise ValueError(f"asset '{path}' not found in {self.assets_folder}")
        self._used.add(path)
        return self.links.href(urls.asset(found.hashed))

    def render(self, route: Route) -> Rendered:
        self._used = set()
        try:
            template = self.env.get_template(route.template)
            html = template.render(route.context(), current_url=route.url)
            return Rendered(html, frozenset(self._used))
        except StaleInput:
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


def nowrap(text: object) -> Markup:
    """Text kept on one line: a term (`2025-2030`) must not break at its hyphen
    on a phone."""
    return Markup('<span class="nowrap">{}</span>').format(text)
