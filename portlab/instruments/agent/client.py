"""The agent's HTTP client for /api/v1/instruments/agent/* (urllib, keep it dependency-free)."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from typing import Any


class ServerError(Exception):
    """The server refused a request; `status` is the HTTP status, `detail` its reason."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"HTTP {status}: {detail}")
        self.status, self.detail = status, detail


class AgentClient:
    def __init__(self, url: str, token: str, timeout: float = 15.0):
        self.base = url.rstrip("/") + "/api/v1/instruments/agent"
        self.token, self.timeout = token, timeout

    def _send(self, method: str, path: str, body: bytes | None = None,
              content_type: str = "application/json") -> Any:
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise ServerError(error.code, _detail(error.read())) from None

    def heartbeat(self, payload: dict) -> dict:
        return self._send("POST", "/heartbeat", json.dumps(payload).encode())

    def relay_heartbeats(self, payloads: list[dict]) -> list[dict]:
        """For a lab's gateway: heartbeats of several instruments in one request, each payload
        with its instrument's "token"; one result per payload (accepted, or "error")."""
        body = json.dumps({"heartbeats": payloads}).encode()
        return self._send("POST", "/heartbeats", body)["results"]

    def upload(self, filename: str, content: bytes) -> dict:
        boundary = "portlab-" + secrets.token_hex(12)
        safe_name = filename.replace('"', "_").replace("\r", "_").replace("\n", "_")
        body = b"".join([
            f"--{boundary}\r\n".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'.encode(),
            b"Content-Type: application/octet-stream\r\n\r\n", content,
            f"\r\n--{boundary}--\r\n".encode(),
        ])
        return self._send("POST", "/files", body, f"multipart/form-data; boundary={boundary}")

    def commands(self) -> list[dict]:
        return self._send("GET", "/commands")

    def acknowledge(self, command_id: int, ok: bool, message: str) -> dict:
        payload = json.dumps({"ok": ok, "message": message}).encode()
        return self._send("POST", f"/commands/{command_id}/ack", payload)


def _detail(raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")[:300]
    return str(data.get("detail", data)) if isinstance(data, dict) else str(data)
