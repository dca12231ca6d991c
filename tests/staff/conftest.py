from __future__ import annotations

import pytest
from django.test import Client

from intake.demo import demo_request_create

from .support import ensure_roles, sign_in, staff_member


@pytest.fixture(autouse=True)
def _roles(db) -> None:
    ensure_roles()


@pytest.fixture
def reviewer():
    return staff_member("reviewer")


@pytest.fixture
def manager():
    return staff_member("manager")


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    response = sign_in(client, *reviewer)
    assert response.status_code == 302, response.content[:2000]
    return client


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    response = sign_in(client, *manager)
    assert response.status_code == 302, response.content[:2000]
    return client


@pytest.fixture
def make_request():
    """A request submitted through the real screening form and service (demo patient answers)."""
    numbers = iter(range(1, 100))

    def make(**answers):
        return demo_request_create(next(numbers), **answers)

    return make
