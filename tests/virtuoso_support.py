"""Run OpenLink Virtuoso (Debian's ``virtuoso-opensource``: the ``virtuoso-t`` server and
its ``isql-vt`` client) with a throwaway database on free loopback ports, open to
anonymous Graph Store Protocol writes and SPARQL updates, for the publishing tests."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.oxigraph_support import free_port, wait_until_answering

# Anonymous requests run as the SPARQL user: let it update (SPARQL_UPDATE) and write every
# graph (permission bits 7 = read, write, list for users without graph-level rules).
OPEN_FOR_WRITING = (
    "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """A minimal virtuoso.ini: every file in `folder`, both ports on loopback only."""
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@contextmanager
def running_virtuoso(folder: Path) -> Iterator[str]:
    """The base URL of a Virtuoso server with an empty database in `folder` (SPARQL and
    updates at BASE/sparql, the Graph Store Protocol at BASE/sparql-graph-crud), stopped
    after the block; skips when Virtuoso is not installed."""
    server_program, client_program = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server_program is None or client_program is None:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port), encoding="utf-8")
    server = subprocess.Popen(
        [server_program, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        try:
            wait_until_answering(base + "/sparql", server, "virtuoso-t")
        except RuntimeError as error:
            log = (folder / "virtuoso.log").read_text(errors="replace")
            raise RuntimeError(f"{error}; its log ends:\n{log[-2000:]}") from None
        subprocess.run(
            [client_program, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={OPEN_FOR_WRITING}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
