#!/usr/bin/python3
"""Validates Kubernetes manifests against the API models of Debian's
python3-kubernetes, offline: every field must exist in the model of its
object (so a misspelled key fails), values must have the model's type, and
required fields must be present.

Usage: validate-manifests.py FILE.yaml...
"""
import re
import sys

import yaml
from kubernetes import client

# apiVersion/kind -> the model class name.
KINDS = {
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("v1", "Secret"): "V1Secret",
    ("v1", "Service"): "V1Service",
    ("apps/v1", "Deployment"): "V1Deployment",
}
PRIMITIVES = {"str": (str,), "int": (int,), "bool": (bool,), "float": (int, float)}


def check(value, type_name, path, problems):
    """Appends to problems every field of value that does not fit type_name."""
    if type_name == "object":  # IntOrString and free-form fields
        return
    if type_name in PRIMITIVES:
        wanted = PRIMITIVES[type_name]
        if not isinstance(value, wanted) or (type_name == "int" and isinstance(value, bool)):
            problems.append(f"{path}: expected {type_name}, got {type(value).__name__} {value!r}")
        return
    if type_name == "datetime":
        return
    listed = re.fullmatch(r"list\[(.+)\]", type_name)
    if listed:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            check(item, listed.group(1), f"{path}[{i}]", problems)
        return
    mapped = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if mapped:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a mapping")
            return
        for key, item in value.items():
            check(item, mapped.group(1), f"{path}.{key}", problems)
        return
    model = getattr(client.models, type_name)
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a {type_name} mapping")
        return
    by_json_name = {json: attr for attr, json in model.attribute_map.items()}
    for key, item in value.items():
        attribute = by_json_name.get(key)
        if attribute is None:
            problems.append(f"{path}: unknown field '{key}' for {type_name}")
            continue
        check(item, model.openapi_types[attribute], f"{path}.{key}", problems)
    # The model's constructor refuses a missing required field.
    try:
        model(**{by_json_name[k]: v for k, v in value.items() if k in by_json_name})
    except ValueError as e:
        problems.append(f"{path}: {e}")


def main(files):
    checked = failed = 0
    for file in files:
        with open(file, encoding="utf-8") as stream:
            try:
                documents = [d for d in yaml.safe_load_all(stream) if d]
            except yaml.YAMLError as e:
                print(f"{file}: YAML error: {e}", file=sys.stderr)
                failed += 1
                continue
        for document in documents:
            key = (document.get("apiVersion"), document.get("kind"))
            name = (document.get("metadata") or {}).get("name")
            if key not in KINDS:
                print(f"{file}: no model for {key[0]} {key[1]}", file=sys.stderr)
                failed += 1
                continue
            problems = []
            check(document, KINDS[key], key[1], problems)
            if problems:
                failed += 1
                for problem in problems:
                    print(f"{file}: {key[1]}/{name}: {problem}", file=sys.stderr)
            else:
                checked += 1
                print(f"ok {file}: {key[1]}/{name}")
    print(f"{checked} passed, {failed} failed")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
