"""Page weight: the home page and everything it loads, as bytes on the wire, in a real browser.

Chromium asks for Brotli (`Accept-Encoding: br`), so the document comes from the page cache and
the stylesheets as WhiteNoise's precompressed files, as in production. Headers count too: they
are on the wire.
"""

from __future__ import annotations

import urllib.request

import pytest

HOME_PAGE_BUDGET = 60 * 1024


def wire_bytes_of_icons_not_fetched(site, fetched: set[str]) -> dict[str, int]:
    """Headless Chromium skips favicons; a visitor's browser fetches them, so count them."""
    sizes = {}
    for href in site.page.eval_on_selector_all(
        'link[rel~="icon"], link[rel="apple-touch-icon"], link[rel="manifest"]',
        "links => links.map(link => link.href)",
    ):
        if href in fetched:
            continue
        request = urllib.request.Request(href, headers={"Accept-Encoding": "br"})  # noqa: S310
        with urllib.request.urlopen(request) as response:  # noqa: S310
            headers = sum(len(k) + len(v) + 4 for k, v in response.getheaders())
            sizes[href] = len(response.read()) + headers
    return sizes


# Measured as a live site shows it: with a complete clinic profile (prices, the medical director).
@pytest.mark.django_db(transaction=True)
def test_home_page_with_everything_it_loads_weighs_at_most_60_kb(site, example_clinic):
    path = "/"
    transfers: dict[str, int] = {}
    encodings: dict[str, str | None] = {}

    def record(request) -> None:
        sizes = request.sizes()
        transfers[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        encodings[request.url] = request.response().headers.get("content-encoding")

    site.page.on("requestfinished", record)
    site.visit(path, check=False)
    site.page.wait_for_load_state("networkidle")
    transfers.update(wire_bytes_of_icons_not_fetched(site, set(transfers)))

    total = sum(transfers.values())
    print(f"\nPage weight of {path}: {total:,} bytes on the wire ({total / 1024:.1f} KB)")
    for url, size in sorted(transfers.items(), key=lambda item: -item[1]):
        print(f"  {size:>8,}  {encodings.get(url) or '-':<5} {url.removeprefix(site.base_url)}")

    document = site.base_url + path
    assert encodings[document] == "br", "the HTML itself is Brotli-compressed"
    # The menu is a <details> element: Bootstrap's JavaScript has no place on the page.
    assert not [url for url in transfers if "bootstrap" in url and url.endswith(".js")]
    assert total <= HOME_PAGE_BUDGET, f"{total:,} bytes is over the {HOME_PAGE_BUDGET:,} budget"
