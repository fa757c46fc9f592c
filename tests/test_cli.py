"""The `blkg` command's exit codes and messages for valid data, invalid data and broken Turtle."""

from __future__ import annotations

import subprocess
import sys

import pytest

from blkg.export import serialize
from tests.conftest import blkg


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_shipped_data_exits_zero_with_one_line():
    result = blkg("validate")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("conforms:")


def test_validate_reports_each_violation_with_file_focus_path_and_message(data_copy):
    path = data_copy / "responsibilities.ttl"
    text = path.read_text()
    path.write_text(text.replace("blf:number 20 ;", "blf:number 22 ;", 1))
    result = blkg("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert_no_traceback(result)
    violation = next(line for line in result.stderr.splitlines() if "blf:number" in line)
    line = text.splitlines().index("resp:situational-awareness") + 1
    assert violation.startswith(f"{path}:{line}: resp:situational-awareness blf:number: ")
    assert result.stderr.splitlines()[-1] == "blkg: 1 violation; the data was not loaded."


def test_validate_reports_turtle_syntax_error_with_file_and_line(data_copy):
    path = data_copy / "framework.ttl"
    lines = path.read_text().splitlines()
    lines.insert(3, "this is not turtle .")
    path.write_text("\n".join(lines) + "\n")
    result = blkg("validate", "--data", str(data_copy))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert f"{path}:4: Turtle syntax error" in result.stderr


@pytest.mark.parametrize("folder", ["missing", "file.ttl", "empty"])
def test_validate_refuses_an_unusable_data_folder(tmp_path, folder):
    (tmp_path / "file.ttl").write_text("")
    (tmp_path / "empty").mkdir()
    result = blkg("validate", "--data", str(tmp_path / folder))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert str(tmp_path / folder) in result.stderr


def test_validate_refuses_a_node_declared_in_two_files(data_copy):
    (data_copy / "zz-duplicate.ttl").write_text(
        "@prefix blf: <https://w3id.org/blkg/def#> .\n<session/3> a blf:Session .\n"
    )
    result = blkg("validate", "--data", str(data_copy))
    assert result.returncode == 2
    assert "session/3" in result.stderr and "zz-duplicate.ttl" in result.stderr


def test_export_writes_turtle_to_standard_output_by_default(graph):
    result = subprocess.run(
        [sys.executable, "-m", "blkg", "export"], capture_output=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stdout == serialize(graph, "turtle", "all")


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "jsonld"])
def test_export_out_writes_the_same_bytes_as_the_library(graph, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = blkg("export", "--format", fmt, "--graph", "asserted", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == serialize(graph, fmt, "asserted")


def test_failed_export_leaves_an_existing_file_untouched(tmp_path, data_copy):
    out = tmp_path / "existing.ttl"
    out.write_text("precious")
    (data_copy / "framework.ttl").write_text("broken turtle")
    result = blkg("export", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 2
    assert out.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".existing")] == []


def test_unknown_format_is_a_usage_error():
    result = blkg("export", "--format", "rdfxml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_serve_refuses_invalid_data_with_the_messages_of_validate(data_copy):
    path = data_copy / "responsibilities.ttl"
    path.write_text(path.read_text().replace("blf:number 20 ;", "blf:number 22 ;", 1))
    validate = blkg("validate", "--data", str(data_copy))
    serve = blkg("serve", "--data", str(data_copy), "--port", "0")
    assert serve.returncode == validate.returncode == 1
    assert_no_traceback(serve)
    assert serve.stderr == validate.stderr
