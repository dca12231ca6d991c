"""The shared layout in a real browser: accessible, keyboard-usable, no sideways scrolling."""

import pytest

PAGES = ["/", "/chronic-pain/", "/cost/", "/faq/", "/privacy/", "/screening/"]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_at_phone_and_desktop_widths(site, path, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit(path)

    assert site.page.locator("h1").count() == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert site.page.locator(landmark).count() >= 1


def test_not_found_page_is_accessible(site):
    site.visit("/no-such-page/", status=404)

    assert site.page.locator("h1").inner_text() == "We could not find that page"


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, {"width": 640, "height": 480}])
def test_no_horizontal_scrolling_at_320px_or_200_percent_zoom(site, viewport):
    # 640 CSS px wide at a device scale of 2 is what a 1280 px window shows at 200% zoom.
    site.page.set_viewport_size(viewport)
    site.visit("/", check=False)

    scroll_width = site.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"]


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(site):
    site.visit("/", check=False)

    site.page.keyboard.press("Tab")
    focused = site.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert site.page.locator(".skip-link").is_visible()

    site.page.keyboard.press("Enter")
    assert site.page.evaluate("document.activeElement.id") == "main"


def test_footer_has_crisis_lines_and_the_health_data_policy(site):
    site.visit("/", check=False)

    footer = site.page.locator("footer")
    assert footer.get_by_role("link", name="988").is_visible()
    assert footer.get_by_role("link", name="911").is_visible()
    policy = footer.get_by_role("link", name="Consumer Health Data Privacy Policy")
    assert policy.get_attribute("href") == "/consumer-health-data-privacy/"


def test_styles_come_hashed_and_brotli_compressed_from_whitenoise(site):
    site.visit("/", check=False)
    stylesheet = site.page.locator('link[rel="stylesheet"]').last.get_attribute("href")

    response = site.page.request.get(site.base_url + stylesheet, headers={"Accept-Encoding": "br"})

    assert response.status == 200
    assert response.headers["content-encoding"] == "br"
    assert "immutable" in response.headers["cache-control"]
    assert stylesheet.startswith("/static/css/site.") and stylesheet.count(".") == 2


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 390, "height": 844},  # a phone
        {"width": 640, "height": 400},  # a 1280 x 800 desktop at 200% zoom
        {"width": 1280, "height": 800},
    ],
)
@pytest.mark.django_db(transaction=True)  # the live server reads the clinic's phone
def test_header_takes_at_most_a_fifth_of_the_screen(site, viewport, example_clinic):
    site.page.set_viewport_size(viewport)
    site.visit("/", check=False)

    height = site.page.locator("header.site-header").bounding_box()["height"]
    assert height <= 0.2 * viewport["height"], f"{height:.0f} px of {viewport['height']}"
    phone = site.page.locator("header a.site-phone")
    assert phone.is_visible()
    assert phone.get_attribute("href").startswith("tel:+1")
    assert site.page.locator("header .site-brand img").is_visible()


def test_on_a_phone_the_menu_opens_by_keyboard_and_stays_accessible(site):
    site.page.set_viewport_size({"width": 390, "height": 844})
    site.visit("/", check=False)
    link = site.page.locator('header nav a:text-is("Cost")')
    assert not link.is_visible()

    site.page.locator("header summary").focus()
    site.page.keyboard.press("Enter")

    assert link.is_visible()
    site.assert_accessible()
    with site.page.expect_navigation():
        link.click()
    assert site.page.url.endswith("/cost/")


def test_on_a_phone_the_menu_button_stays_where_it_was_when_it_opens(site):
    site.page.set_viewport_size({"width": 390, "height": 844})
    site.visit("/", check=False)
    toggle = site.page.locator("header summary")
    closed = toggle.bounding_box()

    toggle.click()

    opened = toggle.bounding_box()
    assert (round(opened["x"]), round(opened["y"])) == (round(closed["x"]), round(closed["y"]))
    assert site.page.locator('header nav a:text-is("Cost")').is_visible()


LEAD_STYLE = """
(el) => {
  const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(el);
  const a = lum(rgb(style.color)), b = lum([255, 255, 255]);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return {weight: Number(style.fontWeight), ratio};
}
"""


@pytest.mark.parametrize("path", ["/", "/screening/", "/es/screening/"])
def test_the_lead_paragraph_is_regular_weight_and_reads_at_4_5_to_1(site, path):
    site.visit(path, check=False)
    found = site.page.locator("main p.lead").first.evaluate(LEAD_STYLE)
    assert found["weight"] >= 400
    assert found["ratio"] >= 4.5
