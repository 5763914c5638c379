"""Locust users for bench/load_bench.py: the CX lead reading pages and API lists.

The session cookie comes from the environment (LOAD_COOKIE, made by load_bench
through Django's session store): production settings mark cookies Secure, which a
plain-HTTP client would not send back, so it goes in as a header.
"""

import os

from locust import FastHttpUser, between

WAIT = float(os.environ.get("LOAD_WAIT", "1.0"))
PAGES = {
    "dashboard": "/",
    "ranking": "/ranking/",
    "feedback (negative)": "/feedback/?polarity=negative",
    "initiatives": "/initiatives/",
    "api feedback": "/api/v1/feedback/",
    "api ideas": "/api/v1/ideas/",
    "api initiatives": "/api/v1/initiatives/",
}


def _visit(name: str):
    def visit(user) -> None:
        with user.client.get(
            PAGES[name], headers=user.headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    return visit


class Lead(FastHttpUser):
    """Each page equally often, with a think time (20 of these = 20 clients)."""

    # Think time between pages (LOAD_WAIT seconds on average; 0 = back to back).
    wait_time = between(0.5 * WAIT, 1.5 * WAIT)
    tasks = [_visit(name) for name in PAGES]

    def on_start(self):
        self.headers = {
            "Cookie": os.environ["LOAD_COOKIE"],
            # Behind the TLS proxy (SECURE_PROXY_SSL_HEADER): no redirect to https.
            "X-Forwarded-Proto": "https",
        }
