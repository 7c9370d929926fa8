"""Template helpers for navigation: the main menu and links between pages of a list.

Each domain adds its entries to the main menu from its `init_app` (`add_menu_item`); the menu shows them by
position, lowest first, and skips an entry whose endpoint the app does not serve.
"""

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for

EXTENSION_KEY = "ecosystem.menu"


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str  # a lazy string: translated when the menu is drawn
    position: int


def add_menu_item(app: Flask, endpoint: str, label, position: int) -> None:
    """A link of the main menu. Positions in use: startups 10, clubs 20, events 30, Techfest 40,
    mentors 50, ecosystem directory 60."""
    items = app.extensions.setdefault(EXTENSION_KEY, [])
    items.append(MenuItem(endpoint, label, position))
    items.sort(key=lambda item: item.position)


def main_navigation() -> list[dict]:
    items = []
    for item in current_app.extensions.get(EXTENSION_KEY, []):
        if item.endpoint not in current_app.view_functions:
            continue
        blueprint = item.endpoint.split(".", 1)[0]
        items.append({"url": url_for(item.endpoint), "label": item.label, "active": request.blueprint == blueprint})
    return items


def page_url(page: int) -> str:
    """The current page's URL with its query kept and `page` replaced."""
    arguments = {**(request.view_args or {}), **request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **arguments)
