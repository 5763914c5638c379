"""Assertions, sizes and set-ups shared by the browser journeys."""

from contextlib import contextmanager

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def no_horizontal_scroll(page, width: int = PHONE["width"]) -> int:
    """The page's scroll width; asserts nothing sticks out past `width`."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll}px > {width}px"
    return scroll


def assert_clean(page) -> None:
    """No uncaught script error or console error (CSP refusals included)."""
    assert page.errors == [], page.errors


def funded_initiative(*, lead, title: str, cost: int = 20_000, benefit: int = 60_000):
    """A proposed initiative with a one-time cost and a yearly benefit, fully
    funded by a budget made for it, all through the services (as the demo does)."""
    from initiatives.selectors.funding import initiative_flows
    from initiatives.services.funding import allocation_set, funding_source_create
    from initiatives.services.initiatives import initiative_create

    initiative = initiative_create(
        actor=lead,
        title=title,
        problem="Customers keep asking for it.",
        owner=lead,
        cost_lines=[
            {
                "kind": "one_time",
                "label": "Build",
                "low": cost,
                "likely": cost,
                "high": cost,
            }
        ],
        drivers=[
            {
                "kind": "custom",
                "label": "Fewer calls",
                "inputs": {"amount_per_year": [benefit, benefit, benefit]},
            }
        ],
    )
    needed = [float(v) for v in initiative_flows(initiative).needed]
    budget = funding_source_create(
        actor=lead,
        name=f"Budget for {title}",
        kind="budget",
        amounts=dict(enumerate(needed)),
    )
    for year, value in enumerate(needed):
        if value:
            allocation_set(
                actor=lead,
                source=budget,
                initiative=initiative,
                year=year,
                amount=value,
            )
    return initiative


@contextmanager
def requests_held(page, settle_ms: int = 300, wait_ms: int = 3000):
    """Hold every request the page sends while the block runs, then let them go.

    For the test playing a worker: on SQLite the live server shares the test's
    in-memory database connection, so a poll served while the test writes would
    interleave with its transaction. Requests already at the server get
    `settle_ms` to finish; the ones held meanwhile (the block's end waits up to
    `wait_ms` for one) are sent afterwards.
    """
    held = []

    def hold(route):
        held.append(route)

    page.route("**/*", hold)
    page.wait_for_timeout(settle_ms)
    try:
        yield held
    finally:
        # Requests the page sent meanwhile reach `hold` only now that Playwright
        # runs again: give a poller (every second) the time to show up.
        for _ in range(wait_ms // 100):
            if held:
                break
            page.wait_for_timeout(100)
        for route in list(held):  # before unroute, which would answer them
            route.continue_()
        page.unroute("**/*", hold)
