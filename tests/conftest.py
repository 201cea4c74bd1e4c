"""Shared by the tests: a failed test is marked on its item, so that fixtures (the browser's)
can keep evidence, such as a screenshot, when it fails."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if outcome.get_result().failed:
        item.failed = True
