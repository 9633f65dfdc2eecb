"""What operators rely on without running it here: the image, the CI script, the README commands.

No Docker engine runs on this machine, so the Dockerfile is checked as text (and by hadolint
when it is installed): non-root, a HEALTHCHECK on /healthz, and the README's command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest

from tests.conftest import ROOT


def test_the_image_runs_the_readme_command_as_non_root_with_a_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", dockerfile, re.MULTILINE)
    assert 'CMD ["screening", "serve"]' in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: .*\n\t\$\(BIN\)/screening serve$", makefile, re.MULTILINE)


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_the_package_declares_ranges_and_the_screening_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["screening"] == "service.cli:main"
    for requirement in project["dependencies"]:
        assert re.search(r">=.*,<", requirement), f"{requirement} needs a range"


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint is not installed")
def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(["hadolint", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
