"""What operators rely on without running it here: the image, compose, the CI script, the README commands.

No Docker engine runs on this machine, so the Dockerfile is checked as text (and by hadolint
when it is installed, on PATH or in .venv/bin): multi-stage, non-root, a HEALTHCHECK on
/healthz, and the README's command; compose.yaml as YAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from tests.conftest import ROOT

HADOLINT = shutil.which("hadolint") or next(
    (str(path) for path in [ROOT / ".venv" / "bin" / "hadolint"] if path.exists()), None
)


def test_the_image_runs_the_readme_command_as_non_root_with_a_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", dockerfile, re.MULTILINE)
    assert 'CMD ["screening", "serve"]' in dockerfile
    stages = re.findall(r"^FROM\s+\S+(?:\s+AS\s+(\S+))?", dockerfile, re.MULTILINE)
    assert len(stages) == 2 and stages[0], "a build stage, then the runtime"
    assert re.search(rf"^COPY --from={stages[0]} ", dockerfile, re.MULTILINE)
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


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed")
def test_hadolint_finds_nothing() -> None:
    assert HADOLINT is not None
    result = subprocess.run([HADOLINT, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_compose_runs_redis_the_api_a_worker_and_a_refresher() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"redis", "postgres", "api", "worker", "refresher", "shipper", "monitor", "webhooks"}
    redis_command = " ".join(services["redis"]["command"])
    assert "--maxmemory-policy noeviction" in redis_command
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]

    dockerfile = (ROOT / "Dockerfile").read_text()
    (image_command,) = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()
    assert " ".join(yaml.safe_load(image_command)) == "screening serve"
    assert re.search(r"^screening serve\b", readme, re.MULTILINE)
    assert services["api"]["command"] == ["screening", "serve", "--no-update"], "the image's command, no load"
    assert services["api"]["ports"] == ["8000:8000"]
    assert "/healthz" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["worker"]["command"] == ["screening", "worker"]
    assert services["refresher"]["command"] == ["screening", "lists", "update", "--every", "1h"]
    assert services["shipper"]["command"] == ["screening", "audit", "ship", "--consumer", "shipper"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["monitor"]["command"] == ["screening", "monitored", "rescreen", "--every", "30s"]
    assert services["webhooks"]["command"] == ["screening", "webhooks", "deliver"]
    for name in ("api", "worker", "refresher", "shipper", "monitor", "webhooks"):
        service = services[name]
        assert service["build"] == "." and service["image"] == services["api"]["image"]
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://screening:")
        assert service["depends_on"] == {
            "redis": {"condition": "service_healthy"},
            "postgres": {"condition": "service_healthy"},
        }
    # The image's check is the API's port, which they do not serve.
    for name in ("worker", "refresher", "shipper", "monitor", "webhooks"):
        assert services[name]["healthcheck"] == {"disable": True}


def test_the_refresher_interval_is_one_the_command_takes() -> None:
    from service.refresh import parse_duration

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert parse_duration(compose["services"]["refresher"]["command"][-1]) == 3600


def _seconds(text: str) -> float:
    from service.refresh import parse_duration

    return parse_duration(text)


def test_compose_loads_once_reads_a_mounted_folder_offline_and_gives_checks_time() -> None:
    """Issue 11, item 10: both the api and the refresher loaded every list at start; no lists
    folder was mounted for offline use; the api's 5 s health check failed on a busy box."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    loaders = [
        name
        for name, service in services.items()
        if name not in ("redis", "postgres")  # images of their own
        and (
            (command := service.get("command", ["screening", "serve"]))[:2] == ["screening", "serve"]
            and "--no-update" not in command
            or command[:3] == ["screening", "lists", "update"]
        )
    ]
    assert loaders == ["refresher"]
    refresher = services["refresher"]
    assert "${LISTS_DIR:-./var/lists}:/lists:ro" in refresher["volumes"]
    assert refresher["environment"]["SCREENING_LISTS_DIR"] == "${LISTS_DIR:+/lists}"

    for name in ("api", "redis"):
        check = services[name]["healthcheck"]
        assert _seconds(check["timeout"]) >= 10, f"{name}: a busy box needs more than {check['timeout']}"
    api_check = services["api"]["healthcheck"]
    (inner,) = re.findall(r"timeout=(\d+)", " ".join(api_check["test"]))
    assert int(inner) < _seconds(api_check["timeout"]), "the request gives up before compose kills the check"
    dockerfile = (ROOT / "Dockerfile").read_text()
    (image_timeout,) = re.findall(r"^HEALTHCHECK .*--timeout=(\w+)", dockerfile, re.MULTILINE)
    assert _seconds(image_timeout) == _seconds(api_check["timeout"])
