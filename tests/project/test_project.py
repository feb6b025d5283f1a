"""The promises the project makes outside the package: cheap import, clean notebooks, setup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(/(?:work|root|tmp)/|/home/\w+/|site-packages|\.venv/)")


def test_environment_yml_installs_the_pyproject_package():
    env = (ROOT / "environment.yml").read_text()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "conda-forge" in env
    assert "-e .[dev,jax]" in env, "environment.yml must install the package from pyproject.toml"
    pinned = re.search(r"python=(\d+)\.(\d+)", env)
    assert pinned, "environment.yml pins Python to a minor version"
    floor = re.search(r">=(\d+)\.(\d+)", project["requires-python"])
    assert tuple(map(int, pinned.groups())) >= tuple(map(int, floor.groups()))
    deps = " ".join(project["dependencies"])
    for name in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "tensorflow-cpu",
                 "tensorflow>="):
        assert name in deps, name
    dev = " ".join(project["optional-dependencies"]["dev"])
    for name in ("pytest", "nbval", "hypothesis"):
        assert name in dev, name


def test_readme_shows_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "make lab" in text and "make test" in text


def test_data_lessons_are_the_notebooks_that_load_fashion_mnist(data_lessons):
    """conftest.py's DATA_LESSONS (skipped without the data) lists exactly those notebooks."""
    loading = set()
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if "load_fashion_mnist" in code:
            loading.add(path.name)
    assert loading == set(data_lessons)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebook_is_clean(path):
    doc = json.loads(path.read_text())
    assert "widgets" not in doc["metadata"], "strip widget state (tools/nbrun.py does)"
    assert doc["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in doc["cells"] if c["cell_type"] == "code"]
    assert code and any(c["outputs"] for c in code), "outputs are committed for GitHub readers"
    assert all(c.get("execution_count") for c in code), "run top to bottom before committing"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), "cells were run out of order"
    for i, cell in enumerate(code):
        for out in cell["outputs"]:
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"cell {i} writes to stderr")
            if out["output_type"] == "error":
                assert "raises-exception" in cell.get("metadata", {}).get("tags", []), (
                    f"cell {i} has an unexpected error (tag intended ones `raises-exception`)")
            data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
            blob = json.dumps(out.get("text", "")) + json.dumps(data)
            assert not MACHINE_PATH.search(blob), (
                f"cell {i} shows a machine path")
    assert path.stat().st_size < 1_500_000
