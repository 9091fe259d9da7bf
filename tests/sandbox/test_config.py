"""Sandbox configuration: faults from JSON refuse what they do not know."""

from __future__ import annotations

import pytest

from crosspost.errors import UsageError
from crosspost.sandbox.config import Fault, SandboxConfig


def test_fault_from_json() -> None:
    """A complete fault object builds a Fault."""
    fault = Fault.from_json({"platform": "linkedin", "kind": "rate_limit", "times": 3})
    assert fault == Fault("linkedin", "rate_limit", times=3)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"platform": "x", "kind": "gremlin"}, "gremlin"),
        ({"platform": "myspace", "kind": "latency"}, "myspace"),
        ({"platform": "x", "kind": "latency", "delay": 1}, "delay"),
        (["x"], "JSON object"),
    ],
)
def test_bad_faults_are_refused_with_a_hint(data: object, named: str) -> None:
    """Unknown kinds, platforms and keys are UsageErrors naming the problem."""
    with pytest.raises(UsageError) as caught:
        Fault.from_json(data)
    assert named in str(caught.value)


def test_default_image_fetcher_reaches_nothing() -> None:
    """By default no image URL is publicly reachable."""
    assert SandboxConfig().image_fetcher("https://example.org/a.jpg") is None
