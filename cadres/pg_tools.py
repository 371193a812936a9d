"""The PostgreSQL client tools that backups run (``pg_dump`` and ``pg_restore``): finding
one at least as new as the server, on the PATH or among Debian's versioned installs, and
running it on this installation's database with its connection settings, as ``dbshell``
runs psql. A tool that is missing, too old or fails raises ``PgToolError`` with the reason
in words."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from glob import glob
from pathlib import Path

from django.db import connection


class PgToolError(Exception):
    """A PostgreSQL client tool that is missing, older than the server, or failed."""


def pg_tool(name: str) -> str:
    """The first ``pg_dump``/``pg_restore`` at least as new as the server (an older one
    refuses a newer server): on the PATH, else in Debian's /usr/lib/postgresql/*/bin."""
    server = connection.pg_version // 10000
    debian = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=pg_tool_version, reverse=True)
    found = [shutil.which(name), *debian]
    versions = []
    for tool in filter(None, found):
        version = pg_tool_version(tool)
        if version >= server:
            return tool
        versions.append(f"{tool} ({version})")
    raise PgToolError(
        f"{name} for PostgreSQL {server} or newer was not found"
        + (f" (only {', '.join(versions)})" if versions else "")
        + ": install the PostgreSQL client tools (Debian: postgresql-client)."
    )


def pg_tool_version(tool: str) -> int:
    try:
        output = subprocess.run(
            [tool, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r"(\d+)(?:\.\d+)*", output)
    return int(match.group(1)) if match else 0


def pg_run(tool: str, *parameters: str) -> None:
    """Run a PostgreSQL client tool on this database: host, port and user on the command
    line and the database name last (as ``dbshell`` runs psql), the password and TLS
    settings in its environment."""
    from django.db.backends.postgresql.client import DatabaseClient

    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, parameters)
    result = subprocess.run(
        [tool, *args[1:]],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise PgToolError(f"{Path(tool).name} failed: {result.stderr.strip()[-2000:]}")
