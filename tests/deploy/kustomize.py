"""A small Kustomize renderer for the deploy tests: no kustomize or kubectl binary needed.

It implements exactly the subset that deploy/k8s uses and refuses anything else, so a
kustomization that grows a feature it does not know fails loudly instead of rendering wrong:

- ``resources``: files (multi-document YAML) and folders holding a kustomization.yaml;
- ``patches``: strategic-merge patches given by ``path`` (the target is the patch's own kind
  and name; lists of objects with a ``name`` merge by name, other lists are replaced);
- ``namespace``; ``labels`` with ``pairs`` only (metadata labels, not selectors or templates);
- ``images``: ``name`` with ``newName`` / ``newTag`` / ``digest``.

Where kubectl is installed, test_kubernetes.py checks that this renderer and ``kubectl
kustomize`` produce the same objects.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "patches", "namespace", "labels", "images"}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
}
POD_TEMPLATE_PATHS = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}


class KustomizeError(ValueError):
    pass


def load_documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def render(folder: Path) -> list[dict]:
    """The objects ``kustomize build folder`` would print (order aside)."""
    folder = Path(folder)
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise KustomizeError(
            f"{folder}/kustomization.yaml uses {sorted(unknown)}, which tests/deploy/kustomize.py does not render"
        )
    if kustomization.get("kind", "Kustomization") != "Kustomization":
        raise KustomizeError(f"{folder}: only kind Kustomization is rendered")

    objects: list[dict] = []
    for entry in kustomization.get("resources", []):
        target = (folder / entry).resolve()
        if target.is_dir():
            objects.extend(render(target))
        elif target.is_file():
            objects.extend(load_documents(target))
        else:
            raise KustomizeError(f"{folder}/kustomization.yaml: resource {entry!r} does not exist")
    _check_unique(objects, folder)

    for patch_entry in kustomization.get("patches", []):
        if set(patch_entry) != {"path"}:
            raise KustomizeError(f"{folder}: only `patches: - path: FILE` is rendered, got {patch_entry}")
        for patch in load_documents(folder / patch_entry["path"]):
            _apply_patch(objects, patch, folder / patch_entry["path"])

    namespace = kustomization.get("namespace")
    if namespace:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = namespace

    for label_entry in kustomization.get("labels", []):
        if set(label_entry) - {"pairs"} and (
            label_entry.get("includeSelectors") or label_entry.get("includeTemplates")
        ):
            raise KustomizeError(f"{folder}: labels with includeSelectors/includeTemplates are not rendered")
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(label_entry["pairs"])

    for image in kustomization.get("images", []):
        for obj in objects:
            for container in containers(obj):
                _set_image(container, image)
    return objects


def key(obj: dict) -> tuple[str, str, str, str]:
    meta = obj["metadata"]
    return obj["apiVersion"], obj["kind"], meta.get("namespace", ""), meta["name"]


def pod_spec(obj: dict) -> dict | None:
    path = POD_TEMPLATE_PATHS.get(obj["kind"])
    if path is None:
        return None
    node = obj
    for step in path:
        node = node.get(step, {})
    return node


def containers(obj: dict) -> list[dict]:
    spec = pod_spec(obj) or {}
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _check_unique(objects: list[dict], folder: Path) -> None:
    seen = set()
    for obj in objects:
        k = key(obj)
        if k in seen:
            raise KustomizeError(f"{folder}: {k} is declared twice")
        seen.add(k)


def _apply_patch(objects: list[dict], patch: dict, source: Path) -> None:
    matches = [
        obj for obj in objects if obj["kind"] == patch["kind"] and obj["metadata"]["name"] == patch["metadata"]["name"]
    ]
    if len(matches) != 1:
        raise KustomizeError(
            f"{source}: patch for {patch['kind']}/{patch['metadata']['name']} matches {len(matches)} objects"
        )
    strategic_merge(matches[0], patch)


def strategic_merge(base: dict, patch: dict) -> dict:
    for name, value in patch.items():
        if name.startswith("$"):
            raise KustomizeError(f"patch directive {name} is not rendered")
        if value is None:
            base.pop(name, None)
        elif isinstance(value, dict) and isinstance(base.get(name), dict):
            strategic_merge(base[name], value)
        elif isinstance(value, list) and isinstance(base.get(name), list) and _named(value) and _named(base[name]):
            by_name = {item["name"]: item for item in base[name]}
            for item in value:
                if item["name"] in by_name:
                    strategic_merge(by_name[item["name"]], item)
                else:
                    base[name].append(copy.deepcopy(item))
        else:
            base[name] = copy.deepcopy(value)
    return base


def _named(items: list) -> bool:
    return all(isinstance(item, dict) and "name" in item for item in items)


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """'registry:5000/a/b:1.0@sha256:..' -> ('registry:5000/a/b', '1.0', 'sha256:..')."""
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    name, tag = image, None
    if ":" in image.rsplit("/", 1)[-1]:
        name, tag = image.rsplit(":", 1)
    return name, tag, digest


def _set_image(container: dict, image: dict) -> None:
    name, tag, digest = split_image(container["image"])
    if name != image["name"]:
        return
    name = image.get("newName", name)
    if "digest" in image:
        container["image"] = f"{name}@{image['digest']}"
        return
    tag = image.get("newTag", tag)
    container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest and "newTag" not in image else "")
