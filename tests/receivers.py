"""A real local HTTP server that stands in for the counselor alert channel in tests."""
from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.alerts.signature import DELIVERY_ID_HEADER


class Receiver:
    """A real HTTP server on a local port that records each POST and answers `status` after `delay_s`."""

    def __init__(self, status: int = 200, delay_s: float = 0.0, port: int = 0, *, host: str = "127.0.0.1",
                 tls: tuple[str, str] | None = None) -> None:
        """`tls`: a certificate and key file, to answer https (production accepts only https webhooks)."""
        self.requests: list[tuple] = []  # (headers, body)
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))
                receiver._release.wait(delay_s)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, *_args):
                pass  # a hanging request's client has gone by the time it answers

        self._server = Server(("127.0.0.1", port), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://{host}:{self._server.server_address[1]}/alerts"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def delivery_ids(self) -> list[str]:
        return [headers[DELIVERY_ID_HEADER] for headers, _ in self.requests]

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
