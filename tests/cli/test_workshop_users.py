"""The workshop's accounts (scripts/workshop_users.py) and the hub's log-in check (docs/jupyterhub_config.py) agree
on the password hashes; runs without root and without JupyterHub (the hub config's function is read from its source)."""

import ast
import base64
import hashlib
import hmac
import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _users_script():
    spec = importlib.util.spec_from_file_location("workshop_users", REPO / "scripts" / "workshop_users.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hub_check_password():
    tree = ast.parse((REPO / "docs" / "jupyterhub_config.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_check_password")
    namespace = {"base64": base64, "hashlib": hashlib, "hmac": hmac}
    exec(compile(ast.Module([node], []), "jupyterhub_config.py", "exec"), namespace)  # noqa: S102 - our own file
    return namespace["_check_password"]


def test_a_password_from_the_script_logs_in_at_the_hub_and_nothing_else_does():
    users, check = _users_script(), _hub_check_password()
    password = users.new_password()
    stored = users.hash_password(password)
    assert check(password, stored)
    assert not check(password + "x", stored) and not check("", stored)
    assert not check(password, users.hash_password(users.new_password()))
    assert not check(password, "plain:" + password) and not check(password, "")


def test_passwords_are_easy_to_type_and_differ():
    users = _users_script()
    seen = {users.new_password() for _ in range(200)}
    assert len(seen) == 200
    assert all(re.fullmatch(r"[bdfghjkmnprstvz][aeiu][bdfghjkmnprstvz][aeiu](-[bdfghjkmnprstvz][aeiu]{1}"
                            r"[bdfghjkmnprstvz][aeiu]){2}[0-9]", p) for p in seen)


def test_cards_escape_what_they_print():
    users = _users_script()
    page = users.cards_html([("school01", "deelnemer", "ab<c")], "https://x.nl/?a=1&b=<2>")
    assert "ab&lt;c" in page and "&amp;b=&lt;2&gt;" in page and "ab<c" not in page
