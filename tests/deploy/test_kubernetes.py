"""The Kubernetes manifests (deploy/k8s): rendered, validated against the Kubernetes schemas,
and checked against what the services need. Offline, no cluster, no kustomize binary."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from kinerja_shared.config import ConfigError
from kinerja_shared.events.catalog import TOPICS, dlq_topic

from . import project
from .kustomize import containers, key, pod_spec, render

try:
    import kubernetes_validate
except ImportError:  # pragma: no cover - the message is the point
    pytest.fail("kubernetes-validate is not installed: `make install` installs it (a DEV_TOOLS package)", pytrace=False)

# The oldest Kubernetes minor these manifests support, and the newest whose schemas the package ships.
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.utils.latest_version())

# Strimzi's KafkaTopic (kafka.strimzi.io/v1beta2) is a custom resource kubernetes-validate has no
# schema for: the fields these manifests use, from Strimzi's CRD.
KAFKA_TOPIC_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "kafka.strimzi.io/v1beta2"},
        "kind": {"const": "KafkaTopic"},
        "metadata": {
            "type": "object",
            "required": ["name", "labels"],
            "properties": {
                "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253},
                "labels": {
                    "type": "object",
                    "required": ["strimzi.io/cluster"],
                    "additionalProperties": {"type": "string"},
                },
            },
        },
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["partitions", "replicas"],
            "properties": {
                "topicName": {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,249}$"},
                "partitions": {"type": "integer", "minimum": 1},
                "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
                "config": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "integer", "number", "boolean"]},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def overlay() -> list[dict]:
    return render(project.OVERLAY)


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return render(project.K8S / "base")


def find(objects, kind, name):
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def of_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def config_maps(objects) -> dict[str, dict]:
    return {o["metadata"]["name"]: o.get("data") or {} for o in of_kind(objects, "ConfigMap")}


def container_env(objects, container) -> dict[str, str]:
    """The environment a container starts with; Secret values are placeholders."""
    maps = config_maps(objects)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        assert "configMapRef" in source, f"{container['name']}: only ConfigMaps are loaded whole, Secrets key by key"
        name = source["configMapRef"]["name"]
        assert name in maps, f"{container['name']} loads ConfigMap {name}, which the manifests do not declare"
        env.update(maps[name])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        elif "secretKeyRef" in item.get("valueFrom", {}):
            ref = item["valueFrom"]["secretKeyRef"]
            if item["name"] == "DATABASE_URL":
                env[item["name"]] = "postgresql://kinerja:secret@postgres.example:5432/kinerja"
            elif item["name"] == "NOTIFICATION_WEBHOOK_SECRET_KEYS":  # Fernet keys
                env[item["name"]] = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAwMDA="
            elif not ref.get("optional"):
                env[item["name"]] = "secret"
        else:
            pytest.fail(f"{container['name']}: env {item['name']} comes from an unexpected source")
    return env


# -- rendering and schemas ---------------------------------------------------------------------


def test_overlay_renders_every_service(overlay):
    names = {(o["kind"], o["metadata"]["name"]) for o in overlay}
    for service in project.SERVICES:
        for kind, name in [
            ("Deployment", f"{service}-web"),
            ("Deployment", f"{service}-worker"),
            ("Service", service),
            ("HorizontalPodAutoscaler", f"{service}-web"),
            ("PodDisruptionBudget", f"{service}-web"),
            ("PodDisruptionBudget", f"{service}-worker"),
            ("Job", f"{service}-migrate"),
            ("ConfigMap", f"{service}-config"),
        ]:
            assert (kind, name) in names, f"{kind} {name} is missing from the rendered overlay"
    namespaces = {o["metadata"].get("namespace") for o in overlay if o["kind"] != "Namespace"}
    assert namespaces == {find(overlay, "Namespace", "kinerja-binjai")["metadata"]["name"]}


@pytest.mark.parametrize("folder", ["base", "overlays/binjai"])
def test_renderer_matches_kubectl_kustomize(folder):
    """The test renderer and the real Kustomize agree (where kubectl or kustomize is installed)."""
    if shutil.which("kustomize"):
        argv = ["kustomize", "build", str(project.K8S / folder)]
    elif shutil.which("kubectl"):
        argv = ["kubectl", "kustomize", str(project.K8S / folder)]
    else:
        pytest.skip("neither kustomize nor kubectl is installed; the built-in renderer alone was used")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    theirs = {key(o): o for o in yaml.safe_load_all(result.stdout) if o}
    ours = {key(o): o for o in render(project.K8S / folder)}
    assert set(ours) == set(theirs)
    for k in ours:
        assert ours[k] == theirs[k], f"{k} renders differently"


@pytest.fixture
def cached_schemas(monkeypatch):
    """kubernetes-validate reads its (large) definitions file for every object: read each file once."""
    monkeypatch.setattr(
        kubernetes_validate.utils,
        "schema_contents",
        functools.lru_cache(maxsize=None)(kubernetes_validate.utils.schema_contents),
    )


@pytest.mark.parametrize("folder", ["base", "overlays/binjai"])
def test_every_object_validates_against_the_kubernetes_schemas(folder, cached_schemas):
    errors = []
    for obj in render(project.K8S / folder):
        if obj["kind"] == "KafkaTopic":
            jsonschema.validate(obj, KAFKA_TOPIC_SCHEMA)
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                path = ".".join(str(p) for p in exc.path)
                errors.append(f"{obj['kind']}/{obj['metadata']['name']} (Kubernetes {version}): {path}: {exc.message}")
            except kubernetes_validate.SchemaNotFoundError as exc:
                errors.append(exc.message)
    assert not errors, "\n".join(errors)


def test_the_schema_check_catches_a_misspelt_field(overlay):
    broken = yaml.safe_load(yaml.safe_dump(find(overlay, "Deployment", "plan-service-web")))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


# -- each service ------------------------------------------------------------------------------


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_web_deployment_service_probes_and_autoscaler(overlay, service):
    port = project.SERVICES[service]
    web = find(overlay, "Deployment", f"{service}-web")
    labels = web["spec"]["template"]["metadata"]["labels"]
    assert web["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert "replicas" not in web["spec"], "the HorizontalPodAutoscaler owns web's replicas; apply would reset them"
    (container,) = pod_spec(web)["containers"]
    assert container["args"] == ["web"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": port}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env.get("WEB_CONCURRENCY"), "gunicorn counts the node's CPUs, not the pod's limit: set WEB_CONCURRENCY"
    grace = pod_spec(web)["terminationGracePeriodSeconds"]
    assert grace > 20 + 5, "longer than GUNICORN_GRACEFUL_TIMEOUT (20 s) plus the preStop pause"

    svc = find(overlay, "Service", service)
    assert svc["spec"]["selector"].items() <= labels.items()
    assert [(p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [(port, "http")]

    hpa = find(overlay, "HorizontalPodAutoscaler", f"{service}-web")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{service}-web"}
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in hpa["spec"]["metrics"])

    pdb = find(overlay, "PodDisruptionBudget", f"{service}-web")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"].get("minAvailable", 0) < hpa["spec"]["minReplicas"], "a PDB that blocks every node drain"


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_worker_replicas_stay_within_the_partitions(overlay, service):
    worker = find(overlay, "Deployment", f"{service}-worker")
    (container,) = pod_spec(worker)["containers"]
    assert container["args"] == ["worker"]
    assert "ports" not in container
    partitions = {
        o["spec"].get("topicName", o["metadata"]["name"]): o["spec"]["partitions"]
        for o in of_kind(overlay, "KafkaTopic")
    }
    for topic in project.spec(service).consumes:
        assert worker["spec"]["replicas"] <= partitions[topic], (
            f"{service}-worker has {worker['spec']['replicas']} replicas"
            f" but {topic} only {partitions[topic]} partitions"
        )
    pdb = find(overlay, "PodDisruptionBudget", f"{service}-worker")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= worker["spec"]["template"]["metadata"]["labels"].items()
    text = (project.K8S / "base" / f"{service}.yaml").read_text()
    worker_doc = next(d for d in text.split("\n---\n") if f"name: {service}-worker\n" in d and "kind: Deployment" in d)
    assert "partitions" in worker_doc, "say next to the worker's replicas that they must not exceed the partitions"


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_migration_job_uses_the_service_image(overlay, service):
    job = find(overlay, "Job", f"{service}-migrate")
    (container,) = pod_spec(job)["containers"]
    assert container["args"] == ["migrate"]
    assert pod_spec(job)["restartPolicy"] in ("Never", "OnFailure")
    images = {
        c["image"]
        for kind, name in [
            ("Deployment", f"{service}-web"),
            ("Deployment", f"{service}-worker"),
            ("Job", f"{service}-migrate"),
        ]
        for c in containers(find(overlay, kind, name))
    }
    assert len(images) == 1, f"web, worker and migrate of {service} must run the same image: {images}"
    (image,) = images
    assert f"/{service}:" in image or image.startswith(f"{service}:")


# -- every pod ---------------------------------------------------------------------------------


def test_every_pod_is_non_root_hardened_and_bounded(overlay):
    for obj in overlay:
        spec = pod_spec(obj)
        if spec is None:
            continue
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["runAsUser"] != 0, where
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where
        for container in containers(obj):
            ctx = container["securityContext"]
            assert ctx["allowPrivilegeEscalation"] is False, where
            assert ctx["readOnlyRootFilesystem"] is True, where
            assert ctx["capabilities"]["drop"] == ["ALL"], where
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), f"{where}: resources.{bound}"
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, f"{where}: a read-only root file system needs a writable /tmp"
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in containers(obj):
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, f"{where}: volume {mount['name']} is not declared"
        for volume in volumes.values():
            if "persistentVolumeClaim" in volume:
                find(overlay, "PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"])


def test_web_pods_mount_the_prometheus_multiprocess_directory(overlay):
    for service in project.SERVICES:
        (container,) = pod_spec(find(overlay, "Deployment", f"{service}-web"))["containers"]
        assert "/app/metrics" in {m["mountPath"] for m in container["volumeMounts"]}, service


# -- configuration -----------------------------------------------------------------------------


def test_every_variable_in_the_manifests_is_a_setting(overlay):
    known = project.known_variables()
    files = {
        v["configMap"]["name"] for o in overlay for v in (pod_spec(o) or {}).get("volumes", []) if "configMap" in v
    }
    for name, data in config_maps(overlay).items():
        if name in files:
            continue  # mounted as files (the console's config.js), not read as settings
        unknown = set(data) - known
        assert not unknown, f"ConfigMap {name} sets {sorted(unknown)}, which no Kinerja process reads"
    for obj in overlay:
        for container in containers(obj):
            unknown = {e["name"] for e in container.get("env", [])} - known
            assert not unknown, f"{obj['metadata']['name']}: {sorted(unknown)} are not settings"


@pytest.mark.parametrize("service", list(project.SERVICES))
def test_every_process_starts_with_the_overlay_configuration(overlay, service):
    """The overlay's configuration passes each service's own start-up validation, in production."""
    for kind, name in [
        ("Deployment", f"{service}-web"),
        ("Deployment", f"{service}-worker"),
        ("Job", f"{service}-migrate"),
    ]:
        (container,) = containers(find(overlay, kind, name))
        env = container_env(overlay, container)
        for required in (
            "DATABASE_URL",
            "KAFKA_BOOTSTRAP_SERVERS",
            "KINERJA_ENV",
            "KAFKA_REPLICATION_FACTOR",
            "KAFKA_TOPIC_PARTITIONS",
        ):
            assert env.get(required), f"{name}: {required} is not set"
        settings = project.validate_service_settings(service, env)
        assert settings.environment == "production"
        assert settings.jwt_algorithm == "RS256"
        assert settings.kafka_replication_factor == 3


def test_the_base_alone_refuses_to_start_without_the_identity_provider(base):
    """The base leaves JWT_JWKS_URL to the overlay: production stops with a message naming it."""
    (container,) = containers(find(base, "Deployment", "plan-service-web"))
    with pytest.raises(ConfigError, match="JWT_JWKS_URL"):
        project.validate_service_settings("plan-service", container_env(base, container))


def test_secrets_are_referenced_not_committed(overlay):
    assert not of_kind(overlay, "Secret"), "Secrets are created in the cluster (docs/operations.md), never committed"
    guide = project.OPERATIONS.read_text()
    for obj in overlay:
        for container in containers(obj):
            for item in container.get("env", []):
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] in guide, f"docs/operations.md must say how to create the Secret {ref['name']}"


# -- topics ------------------------------------------------------------------------------------


def test_topics_are_declared_with_replication_3_and_min_isr_2(overlay):
    shared = config_maps(overlay)["kinerja-config"]
    topics = {o["spec"]["topicName"]: o for o in of_kind(overlay, "KafkaTopic")}
    expected = set(TOPICS.values())
    for service in project.SERVICES:
        expected |= {dlq_topic(t, project.spec(service).consumer_group) for t in project.spec(service).consumes}
    assert set(topics) == expected, "a KafkaTopic for every event topic and every dead-letter topic"
    for name, topic in topics.items():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"]
        assert topic["spec"]["replicas"] == 3 == int(shared["KAFKA_REPLICATION_FACTOR"]), name
        assert int(topic["spec"]["config"]["min.insync.replicas"]) == 2, name
        assert topic["spec"]["partitions"] == int(shared["KAFKA_TOPIC_PARTITIONS"]), (
            f"{name}: the workers create missing topics with KAFKA_TOPIC_PARTITIONS; keep them equal"
        )
    for topic in TOPICS.values():
        assert int(topics[topic]["spec"]["config"]["retention.ms"]) == -1, f"{topic}: read models are rebuilt from it"


FIRST_APPLY = "app.kubernetes.io/component notin (web,worker)"


def test_the_first_apply_holds_the_migrations_and_what_they_need(overlay):
    """`kubectl apply -k ... -l '<FIRST_APPLY>'` (docs/operations.md) runs the migrations before web and worker."""
    assert f"-l '{FIRST_APPLY}'" in project.OPERATIONS.read_text()
    assert f"-l '{FIRST_APPLY}'" in (project.OVERLAY / "kustomization.yaml").read_text()
    # a set-based `notin` selector also matches objects without the label
    first = [
        o
        for o in overlay
        if o["metadata"].get("labels", {}).get("app.kubernetes.io/component") not in ("web", "worker")
    ]
    kinds = {(o["kind"], o["metadata"]["name"]) for o in first}
    assert ("Namespace", "kinerja-binjai") in kinds
    assert not any(kind in ("Deployment", "HorizontalPodAutoscaler") for kind, _ in kinds)
    for service in project.SERVICES:
        job = find(overlay, "Job", f"{service}-migrate")
        assert ("Job", job["metadata"]["name"]) in kinds
        for container in containers(job):
            for source in container.get("envFrom", []):
                assert ("ConfigMap", source["configMapRef"]["name"]) in kinds


# -- the gateway ---------------------------------------------------------------------------------


def test_gateway_deployment_service_probes_and_budget(overlay):
    gateway = find(overlay, "Deployment", "gateway")
    labels = gateway["spec"]["template"]["metadata"]["labels"]
    assert gateway["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert gateway["spec"]["replicas"] == 2
    spec = pod_spec(gateway)
    (container,) = spec["containers"]
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": 8000}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, probe
    user = [rest for word, rest in project.final_stage_of(project.GATEWAY_DOCKERFILE) if word == "USER"][-1]
    assert spec["securityContext"]["runAsUser"] == int(user), "the image's nginx user, who owns its files"

    svc = find(overlay, "Service", "gateway")
    assert svc["spec"]["selector"].items() <= labels.items()
    assert [(p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [(8000, "http")]
    pdb = find(overlay, "PodDisruptionBudget", "gateway")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] < gateway["spec"]["replicas"], "a PDB that blocks every node drain"

    (plan,) = containers(find(overlay, "Deployment", "plan-service-web"))
    registry, _, tag = plan["image"].rpartition("/plan-service:")
    assert container["image"] == f"{registry}/gateway:{tag}", "the overlay sets the gateway's image like the services'"


def test_gateway_upstreams_are_the_services(overlay):
    (container,) = containers(find(overlay, "Deployment", "gateway"))
    env = container_env(overlay, container)
    assert set(env) == project.gateway_variables(), "every upstream of deploy/gateway/nginx.conf, and nothing else"
    for service in project.SERVICES:
        host, _, port = env[f"{project.short(service).upper()}_SERVICE_UPSTREAM"].partition(":")
        svc = find(overlay, "Service", host)
        web = find(overlay, "Deployment", f"{service}-web")
        assert svc["spec"]["selector"].items() <= web["spec"]["template"]["metadata"]["labels"].items(), (
            f"{host} must select {service}'s web pods"
        )
        assert [p["port"] for p in svc["spec"]["ports"]] == [int(port)]
    rendered = project.render_gateway_template(env)
    assert "${" not in rendered.split("\nupstream", 1)[1]


def test_gateway_writes_only_to_its_volumes_and_serves_the_region_s_config_js(overlay):
    spec = pod_spec(find(overlay, "Deployment", "gateway"))
    (container,) = spec["containers"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    for path in ("/tmp", "/etc/nginx/conf.d"):
        assert "emptyDir" in volumes[mounts[path]["name"]], f"{path}: nginx writes there under a read-only root"
    config = mounts[project.GATEWAY_WEB_ROOT + "/config.js"]
    assert config["subPath"] == "config.js" and config.get("readOnly") is True
    name = volumes[config["name"]]["configMap"]["name"]
    assert "config.js" in config_maps(overlay)[name]


def console_config(objects) -> dict:
    text = config_maps(objects)["gateway-web-config"]["config.js"]
    body = re.fullmatch(r"\s*window\.KINERJA_CONFIG = (\{.*\});\s*", text, flags=re.S)
    assert body, "keep gateway-web-config's config.js as `window.KINERJA_CONFIG = <JSON>;`"
    return json.loads(body.group(1))


def test_the_console_signs_in_at_the_provider_whose_tokens_the_services_accept(overlay, base):
    oidc_js = (project.ROOT / "web" / "src" / "oidc.js").read_text()
    for objects in (base, overlay):
        config = console_config(objects)
        assert set(config) == {"oidc", "environment", "trainingMode"} and config["trainingMode"] is False
        assert config["environment"] == "production", "a deployed console never offers the development sign-in"
        assert set(config["oidc"]) == {"issuer", "clientId", "scope", "redirectUri"}
        for key_name in config["oidc"]:
            assert f"config().{key_name}" in oidc_js, f"web/src/oidc.js no longer reads oidc.{key_name}"
    assert console_config(base)["oidc"]["issuer"] == "", "the base names no provider"
    oidc = console_config(overlay)["oidc"]
    shared = config_maps(overlay)["kinerja-config"]
    assert oidc["issuer"] == shared["JWT_ISSUER"], "the console signs in where the services' tokens come from"
    assert oidc["clientId"] and "openid" in oidc["scope"].split()
