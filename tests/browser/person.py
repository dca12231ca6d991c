"""A person in a browser who is counted: each click, tap or choice, and each page that loads."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe


class Person:
    """Counts what a person does: each click, tap or choice, and each page that loads."""

    def __init__(self, page, shots: Path | None, size: str) -> None:
        self.page = page
        self.clicks = 0
        self.loads = 0
        self.typed = 0
        self.shots = shots
        self.size = size
        page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def click(self, target) -> None:
        self.clicks += 1
        target.click()

    def go(self, target) -> None:
        """A click that loads another page."""
        self.clicks += 1
        with self.page.expect_navigation(wait_until="load"):
            target.click()

    def fill(self, target, text: str) -> None:
        """Typing into a field: counted in characters (moving to it is part of the form's flow)."""
        self.typed += len(text)
        target.fill(text)

    def choose(self, target, label: str) -> None:
        self.clicks += 1
        target.select_option(label=label)

    def look(self, name: str = "") -> None:
        """axe on the whole page (without its CSSOM preload: it would re-inject the admin's
        imported stylesheets inline, which the CSP refuses), no sideways panning; a picture when
        asked for."""
        results = Axe().run(self.page, options={"preload": False})
        assert results.violations_count == 0, results.generate_report()
        # Nothing makes the whole page pan sideways (a wide table scrolls on its own).
        width = self.page.viewport_size["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width + 1
        if self.shots is not None and name:
            self.page.screenshot(path=str(self.shots / f"{self.size}-{name}.png"), full_page=True)
