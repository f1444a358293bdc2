"""Suggestions as one types (static/js/suggest.js): a WAI-ARIA 1.2 combobox that keyboard and
screen reader users can work, passing axe at phone and desktop width; the page without
JavaScript is the plain search form."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, new_page, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", ["telefon", "computer"])
def test_suggestions_are_a_combobox_for_keyboard_and_screen_reader(
    browser, site, axe_source, width
):
    viewport = PHONE if width == "telefon" else DESKTOP
    page = new_page(browser, viewport)
    page.goto(f"{site}/soeg/")
    field = page.locator("#id_q")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    listbox_id = field.get_attribute("aria-controls")
    field.click()
    field.press_sequentially("frivill", delay=30)
    page.wait_for_selector(f"#{listbox_id} [role=option]")
    assert field.get_attribute("aria-expanded") == "true"
    options = page.locator(f"#{listbox_id} [role=option]")
    assert "frivillighedspolitikken" in options.all_inner_texts()
    assert "forslag" in page.locator("[role=status]").inner_text()
    # Down arrow: the first suggestion is active, announced through aria-activedescendant.
    field.press("ArrowDown")
    first = options.nth(0)
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "id_q"  # focus stays in the field
    screenshot(page, f"forslag-{viewport['width']}")
    assert axe_violations(page, axe_source) == []
    # Escape closes the list; Down opens it again; Enter searches the active suggestion.
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert page.locator(f"#{listbox_id}").is_hidden()
    field.press("ArrowDown")
    assert field.get_attribute("aria-expanded") == "true"
    chosen = first.inner_text()
    with page.expect_navigation():
        field.press("Enter")
    assert f"Søgning: {chosen}" in page.title()
    assert "Evaluering af frivillighedspolitikken" in page.inner_text("main")
    page.context.close()


def test_a_click_on_a_suggestion_searches_it(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(f"{site}/soeg/")
    page.locator("#id_q").press_sequentially("evalu", delay=30)
    option = page.locator("[role=option]").first
    option.wait_for()
    chosen = option.inner_text()
    with page.expect_navigation():
        option.click()
    assert f"Søgning: {chosen}" in page.title()
    page.context.close()


def test_without_javascript_the_search_field_is_a_plain_search_field(browser, site):
    page = new_page(browser, DESKTOP, javascript=False)
    page.goto(f"{site}/soeg/")
    field = page.locator("#id_q")
    assert field.get_attribute("role") is None and page.locator("[role=listbox]").count() == 0
    field.fill("frivillighedspolitikken")
    with page.expect_navigation():
        field.press("Enter")
    assert "Evaluering af frivillighedspolitikken" in page.inner_text("main")
    page.context.close()
