"""Settings from the environment: defaults, overrides, and a clear refusal of bad values (an
exception in the library, an exit of the `blkg` command)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from blkg.config import ConfigError, Limits, Settings
from blkg.namespaces import VOCABULARY_ROOT


def test_defaults_apply_when_nothing_is_set(monkeypatch):
    for name in ("BLKG_MAX_QUERY_DEPTH", "BLKG_SPARQL_TIMEOUT", "BLKG_BASE_IRI"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings.limits == Limits()
    assert settings.base_iri == VOCABULARY_ROOT


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("BLKG_MAX_QUERY_DEPTH", "7", "max_query_depth", 7),
        ("BLKG_SPARQL_TIMEOUT", "1.5", "sparql_timeout_seconds", 1.5),
        ("BLKG_MAX_CONCURRENT_REQUESTS", "8", "max_concurrent_requests", 8),
    ],
)
def test_a_variable_overrides_its_limit(monkeypatch, name, value, field, expected):
    monkeypatch.setenv(name, value)
    assert getattr(Settings.from_env().limits, field) == expected


def test_a_base_iri_gets_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("BLKG_BASE_IRI", "http://127.0.0.1:9000")
    assert Settings.from_env().instance_base == "http://127.0.0.1:9000/id/"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("BLKG_MAX_ALIASES", "many", "is not a whole number"),
        ("BLKG_MAX_QUERY_DEPTH", "0", "must be at least 1"),
        ("BLKG_SPARQL_WORKERS", "-2", "must be at least 1"),
        ("BLKG_MAX_BODY_BYTES", "0", "must be at least 1"),
        ("BLKG_SPARQL_TIMEOUT", "soon", "is not a number"),
        ("BLKG_BODY_TIMEOUT", "0", "must be greater than 0"),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_named(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refusal:
        Settings.from_env()
    assert name in str(refusal.value) and says in str(refusal.value)


def test_a_bad_value_is_a_value_error_not_an_exit(monkeypatch):
    monkeypatch.setenv("BLKG_MAX_ALIASES", "many")
    with pytest.raises(ValueError, match="BLKG_MAX_ALIASES"):
        Limits.from_env()


def test_the_command_exits_with_the_message_of_a_bad_value():
    result = subprocess.run(
        [sys.executable, "-m", "blkg", "validate"],
        env={**os.environ, "BLKG_SPARQL_TIMEOUT": "soon"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "blkg: environment variable BLKG_SPARQL_TIMEOUT='soon' is not a number\n"
    )
