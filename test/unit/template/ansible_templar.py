"""Asks Debian's ansible-core (its Templar and Conditional, as tasks use them) for the value of each
case read as JSON from stdin: {"vars": {...}, "cases": [{"id", "kind": "when"|"tpl", "src"}]}.
Prints {"id": {"value", "type"} | {"error"}} as JSON. ANSIBLE_JINJA2_NATIVE selects the native mode.
Usage: /usr/bin/python3 ansible_templar.py < cases.json"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.conditional import Conditional
from ansible.template import Templar


def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def main():
    doc = json.load(sys.stdin)
    variables = doc["vars"]
    out = {}
    for case in doc["cases"]:
        templar = Templar(loader=DataLoader(), variables=variables)
        try:
            if case["kind"] == "when":
                cond = Conditional(loader=DataLoader())
                cond.when = [case["src"]]
                value = cond.evaluate_conditional(templar, variables)
            else:
                value = templar.template(case["src"])
            type_name = type(value).__name__
            if isinstance(value, str):
                type_name = "str"
            out[case["id"]] = {"value": plain(value), "type": "none" if value is None else type_name}
        except Exception as e:  # noqa: BLE001 - every failure is an outcome to compare
            out[case["id"]] = {"error": "%s: %s" % (type(e).__name__, str(e).split("\n")[0])}
    json.dump(out, sys.stdout)


main()
