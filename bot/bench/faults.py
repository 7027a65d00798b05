"""Throwaway stores and the faults `make chaos` injects into a running stack, one at a time.

The PostgreSQL cluster and Redis server here are the run's own (made with the installed server's
initdb/pg_ctl and redis-server on free ports), never the machine's, so restarting them disturbs
nothing else. The slow plan database is a TCP proxy in front of the throwaway cluster.
"""
from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bot.bench.stack import free_port
from bot.var_dir import ensure_folder

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class FaultSetupError(RuntimeError):
    pass


def _postgres_bin() -> Path:
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda path: int(Path(path).parent.name))
    if not found or not Path(found[-1], "initdb").exists():
        raise FaultSetupError(f"no PostgreSQL server binaries in {PG_BIN_GLOB} (Debian's postgresql package)")
    return Path(found[-1])


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory of its own on a free loopback port, trust authentication.

    Its own directory under /tmp: run as root, the cluster belongs to the postgres user, who must be
    able to reach it (a private temporary directory of the caller's would not do).
    """

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="ilp-throwaway-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.bin = _postgres_bin()

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, port: int | None = None) -> str:
        return f"postgresql://postgres@127.0.0.1:{port or self.port}/{database}"

    def __enter__(self) -> "ThrowawayPostgres":
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"])
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def start(self) -> None:
        self._ctl("start", "-l", str(self.directory / "server.log"),
                  "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off")

    def restart(self, down_s: float) -> None:
        """Stops the server (fast: sessions are cut), keeps it down for `down_s`, starts it again."""
        self._ctl("stop", "-m", "fast")
        time.sleep(down_s)
        self.start()

    def _ctl(self, *args: str) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args])

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(_as_postgres(command), capture_output=True, text=True)
        if done.returncode != 0:
            raise FaultSetupError(f"{' '.join(command[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")


class ThrowawayRedis:
    """redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> "ThrowawayRedis":
        ensure_folder(self.directory)
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FaultSetupError("no redis-server on PATH (Debian's redis-server package)")
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.directory)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_listening(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self, down_s: float) -> None:
        self.stop()
        time.sleep(down_s)
        self.start()


class SlowProxy:
    """A TCP proxy to 127.0.0.1:`target_port` that holds every chunk for `delay_s` (0: pass-through)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.delay_s = 0.0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="slow-proxy", daemon=True)

    def __enter__(self) -> "SlowProxy":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(asyncio.start_server(self._serve, "127.0.0.1", self.port),
                                         self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc_info) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _serve(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))

    async def _pipe(self, reader, writer) -> None:
        try:
            while chunk := await reader.read(65536):
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


def kill_child(var_dir: Path, name: str) -> int:
    """kill -9 of one of `ilp serve`'s servers by its pid file; returns the pid killed."""
    pid = int((var_dir / "run" / f"{name}.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    return pid


def _wait_listening(port: int, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise FaultSetupError(f"nothing listening on port {port} after {timeout_s} s")
