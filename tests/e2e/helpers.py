"""What the browser tests share: signing in, and the accessibility audit."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD

SERIOUS = ("serious", "critical")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Signs in through the login form and waits for the landing page."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()


def serious_violations(page: Page) -> list[str]:
    """Runs axe-core (injected by the context) and lists violations of impact serious or critical."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in SERIOUS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found
