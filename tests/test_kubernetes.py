"""The Kubernetes manifests (deploy/kubernetes/) against the Kubernetes API's
own schemas (kubernetes-validate, strict, offline), and against this code:
every probe asks a route that the process really has, no secret is written
in a manifest, every setting they set is one the code reads, and every
command starts a module that exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from fastapi import FastAPI

from bot.action_server import OPEN_PATHS
from bot.shared.settings import ROOT
from tests.web.test_staff_security import routes_of

MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yml"))
KUBERNETES = "1.30.0"
SECRET_NAMES = re.compile(r"SECRET|TOKEN|PASSWORD|_KEY$|DATABASE_URL|TRACKER_STORE_URL")


def documents() -> list[dict[str, Any]]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def containers() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for doc in documents():
        if doc["kind"] in ("Deployment", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                found.append((doc["metadata"]["name"], container))
    return found


def routes(app: FastAPI) -> set[str]:
    return {path for method, path in routes_of(app.routes) if method == "GET"}


def settings_read_from_environment() -> set[str]:
    source = (ROOT / "bot" / "shared" / "settings.py").read_text(encoding="utf-8")
    endpoints = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    return set(re.findall(r'_(?:env|secret)\("([A-Z_]+)"', source)) | set(re.findall(r"\$\{([A-Z_]+)\}", endpoints))


def test_there_are_manifests_for_every_process() -> None:
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in documents()}
    for process in ("rasa", "actions", "web", "staff", "sms", "reminders"):
        assert ("Deployment", process) in kinds
    for service in ("rasa", "actions", "web", "staff", "sms"):
        assert ("Service", service) in kinds
    assert ("Ingress", "assistant") in kinds and ("Job", "assistant-migrate") in kinds


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_each_manifest_is_valid_for_the_kubernetes_api(path: Path) -> None:
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)  # raises on an unknown or wrong field


def test_probes_ask_routes_the_processes_have() -> None:
    from bot.sms.app import make_app
    from bot.staff.app import create_app
    from bot.web.app import app as web

    health = (ROOT / "bot" / "rasa_server" / "channels" / "health.py").read_text(encoding="utf-8")
    assert "health.HealthInput" in (ROOT / "credentials.yml").read_text(encoding="utf-8")
    served = {
        "rasa": {"/"} | ({"/webhooks/health/ready"} if '.route("/ready"' in health else set()),
        "actions": set(OPEN_PATHS),
        "web": routes(web),
        "staff": routes(create_app()),
        "sms": routes(make_app()),
    }
    probed = 0
    for name, container in containers():
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe in container and "httpGet" in container[probe]:
                assert container[probe]["httpGet"]["path"] in served[name], (name, probe)
                probed += 1
    assert probed >= 10


def test_no_secret_is_written_in_a_manifest_and_every_setting_is_read_by_the_code() -> None:
    known = settings_read_from_environment()
    for doc in documents():
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "assistant-config":
            for key in doc["data"]:
                assert key in known, f"{key} is set but nothing reads it"
                assert not SECRET_NAMES.search(key), f"{key} belongs in the Secret"
        assert doc["kind"] != "Secret", "secrets are created outside git"
    for name, container in containers():
        for variable in container.get("env", []):
            assert variable["name"] in known, (name, variable["name"])
            assert "value" not in variable or not SECRET_NAMES.search(variable["name"]), (name, variable["name"])
        sources = {next(iter(source)) for source in container["envFrom"]}
        assert sources == {"configMapRef", "secretRef"}, name
        assert "limits" in container["resources"] and "requests" in container["resources"], name


def test_every_command_starts_a_module_that_exists() -> None:
    for name, container in containers():
        command = container["command"] + container.get("args", [])
        assert command[0] in (".venv/app/bin/python", ".venv/rasa/bin/python") and command[1] == "-m", name
        module = command[3].split(":")[0] if command[2] == "uvicorn" else command[2]
        path = ROOT / Path(*module.split("."))
        assert path.with_suffix(".py").exists() or (path / "__main__.py").exists(), (name, module)
