"""GraphiQL loads and runs a query in a real headless Chromium, with no network but localhost."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def offline_page(browser):
    """A page whose requests to anything but localhost are refused and recorded."""
    context = browser.new_context()
    refused: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.refused = refused
    yield page
    context.close()


def test_graphiql_loads_without_the_internet(server, offline_page):
    offline_page.goto(server.url + "/graphql")
    offline_page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
    assert offline_page.refused == []


def test_graphiql_runs_a_query(server, offline_page):
    offline_page.goto(server.url + "/graphql")
    offline_page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
    offline_page.evaluate(
        """document.querySelector('.graphiql-query-editor .CodeMirror')
             .CodeMirror.setValue('{ session(number: 3) { title } }')"""
    )
    offline_page.click(".graphiql-execute-button")
    response = offline_page.locator(".graphiql-response")
    response.filter(has_text="Managing Change").wait_for(timeout=20_000)
    assert '"title": "Managing Change"' in response.inner_text()
    assert offline_page.refused == []


def test_graphiql_explores_the_schema(server, offline_page):
    offline_page.goto(server.url + "/graphql")
    offline_page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
    offline_page.click("button[aria-label='Show Documentation Explorer']")
    offline_page.get_by_text("Query", exact=True).first.wait_for(timeout=20_000)
    assert offline_page.refused == []


def test_graphiql_runs_under_the_content_security_policy_without_violations(server, offline_page):
    violations: list[str] = []
    offline_page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    response = offline_page.goto(server.url + "/graphql")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    offline_page.evaluate(
        """document.addEventListener('securitypolicyviolation',
             e => console.error('Content Security Policy violation: ' + e.violatedDirective))"""
    )
    offline_page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
    offline_page.evaluate(
        """document.querySelector('.graphiql-query-editor .CodeMirror')
             .CodeMirror.setValue('{ session(number: 3) { title } }')"""
    )
    offline_page.click(".graphiql-execute-button")
    offline_page.locator(".graphiql-response").filter(has_text="Managing Change").wait_for(
        timeout=20_000
    )
    offline_page.click("button[aria-label='Show Documentation Explorer']")
    offline_page.get_by_text("Query", exact=True).first.wait_for(timeout=20_000)
    for page in ("/id/session/3", "/sparql", "/def"):  # the other HTML pages, under the same policy
        offline_page.goto(server.url + page)
        offline_page.wait_for_load_state("load")
    assert violations == []
    assert offline_page.refused == []
