"""The production guide (`docs/deployment.md`) names every environment variable the settings and
the `oversight` command read, and its nginx sets what the app relies on (issue 18, deployment and
scale 2). A setting added without a line in the guide fails here, naming it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "deployment.md").read_text()
# The typed readers of oversight/env.py: their first argument is the variable's name.
READERS = {"env_str", "env_int", "env_bool", "env_list", "database_url", "cache_url",
           "lockout_parameters"}  # fmt: skip


def variables_read(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_the_guide_names_every_variable_the_settings_read():
    read = variables_read(ROOT / "oversight" / "settings.py")
    read |= variables_read(ROOT / "oversight" / "cli.py")
    assert {"DATABASE_URL", "CACHE_URL", "OVERSIGHT_WEB_WORKERS"} <= read  # the reader works
    table = GUIDE[GUIDE.index("## 12. Environment variables") :]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"docs/deployment.md's table lacks {missing}"


def test_the_guide_s_nginx_caps_uploads_and_overwrites_the_forwarded_headers():
    nginx = GUIDE[GUIDE.index("```nginx") : GUIDE.index("```", GUIDE.index("```nginx") + 8)]
    cap = re.search(r"client_max_body_size (\d+)m;", nginx)
    assert cap and int(cap[1]) * 1024 * 1024 >= 209715200  # OVERSIGHT_IMPORT_MAX_BYTES' default
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx  # one proxy believed
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "OVERSIGHT_TRUSTED_PROXIES=1" in GUIDE  # the app told there is one
