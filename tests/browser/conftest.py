"""A real browser: Debian's Chromium, driven by Playwright, headless, against
the built site served on 127.0.0.1. No browser is ever downloaded."""

from __future__ import annotations

import pytest

from frontend_tools import CHROMIUM_ARGS, chromium


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, served_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    context.close()
