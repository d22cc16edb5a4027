"""A stand-in of BKN SIASN's web services for tests and demos (not production code).

Faithful to the contract (``SIASN.md``): it issues the two tokens (the API gateway's OAuth2 client
credentials at ``/oauth2/token``, the SSO's password grant at ``/sso/token``), requires both on every
call under ``/apisiasn/1.0`` (``Authorization: Bearer`` and ``Auth: bearer``), checks every field's
presence and type and the reference codes, stores the records and answers their ids (``mapData``),
updates a record when the body carries its ``id``, keeps each employee's history, and accepts
documents (``upload-dok-rw``, a PDF with id_ref_dokumen 873, 890 or 879).

It can be told to fail: ``fail(path, status, message, times)`` (5xx or 4xx with a message),
``stall(path, seconds, times)`` (answers late: a timeout), ``hold(path)`` (stores the record, then
waits until ``release()`` before answering: a worker killed mid-call).

Run alone (``make run SIASN=contract`` starts it on port 8090 and points the channel at it)::

    python tests/siasn/contract_server.py --port 8090
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import threading
import time
import urllib.parse
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE = "/apisiasn/1.0"
CONSUMER_KEY, CONSUMER_SECRET = "kinerja-binjai", "gateway-secret-binjai"
SSO_CLIENT, SSO_USER, SSO_PASSWORD = "kinerja-binjai-sso", "operator.binjai", "operator-password-binjai"

RATING = {1, 2, 3}  # perilakuDanKinerja
QUADRANT = {1, 2, 3, 4, 5}  # kuadranNilai
PERIODIK = {1, 2}  # periodik
KOEFISIEN = {12, 22, 32, 42, 52, 62, 72, 82}
DOCUMENT_REFS = {873, 890, 879}
RATER_STATUS = {"ASN", "NON ASN"}
MONTH = set(range(1, 13))

# field -> (type, allowed values or None, required)
SKP22 = {
    "tahun": (int, None, True),
    "pnsDinilaiOrang": (str, None, True),
    "hasilKinerjaNilai": (int, RATING, True),
    "perilakuKerjaNilai": (int, RATING, True),
    "kuadranKinerjaNilai": (int, QUADRANT, True),
    "penilaiNipNrp": (str, None, True),
    "penilaiNama": (str, None, True),
    "penilaiGolongan": (str, None, True),
    "penilaiJabatan": (str, None, True),
    "penilaiUnorNama": (str, None, True),
    "statusPenilai": (str, RATER_STATUS, True),
    "id": (str, None, False),
    "path": (list, None, False),
}
PERIODIC = {
    "tahun": (int, None, True),
    "pnsDinilaiId": (str, None, True),
    "periodikId": (int, PERIODIK, True),
    "bulanMulaiPenilaian": (int, MONTH, True),
    "bulanSelesaiPenilaian": (int, MONTH, True),
    "tahunMulaiPenilaian": (int, None, True),
    "tahunSelesaiPenilaian": (int, None, True),
    "hasilKinerjaNilai": (int, RATING, True),
    "perilakuKerjaNilai": (int, RATING, True),
    "kuadranKinerjaNilai": (int, QUADRANT, True),
    "koefisienId": (int, KOEFISIEN, False),
    "penilaiNipNrp": (str, None, True),
    "penilaiNama": (str, None, True),
    "penilaiGolongan": (str, None, True),
    "penilaiJabatanNama": (str, None, True),
    "penilaiUnorNama": (str, None, True),
    "statusPenilai": (str, RATER_STATUS, True),
    "id": (str, None, False),
    "path": (list, None, False),
}
CREDIT = {  # the credit-point web service's body as SIASN's public client libraries send it (all strings)
    "pnsId": (str, None, True),
    "bulanMulaiPenailan": (str, None, True),
    "tahunMulaiPenailan": (str, None, True),
    "bulanSelesaiPenailan": (str, None, True),
    "tahunSelesaiPenailan": (str, None, True),
    "kreditUtamaBaru": (str, None, True),
    "kreditPenunjangBaru": (str, None, True),
    "kreditBaruTotal": (str, None, True),
    "isKonversi": (str, {"0", "1"}, True),
    "isAngkaKreditPertama": (str, {"0", "1"}, True),
    "isIntegrasi": (str, {"0", "1"}, True),
    "nomorSk": (str, None, False),
    "tanggalSk": (str, None, False),
    "rwJabatanId": (str, None, False),
    "id": (str, None, False),
    "path": (list, None, False),
}
KINDS = {
    "skp22": (SKP22, "pnsDinilaiOrang"),
    "kinerjaperiodik": (PERIODIC, "pnsDinilaiId"),
    "angkakredit": (CREDIT, "pnsId"),
}


def channel_env(url: str, consumer_secret: str = CONSUMER_SECRET, sso_password: str = SSO_PASSWORD) -> dict:
    """The settings that point notification-service's SIASN channel at a contract server on ``url``."""
    return {
        "SIASN_BASE_URL": url + BASE,
        "SIASN_TOKEN_URL": url + "/oauth2/token",
        "SIASN_CONSUMER_KEY": CONSUMER_KEY,
        "SIASN_CONSUMER_SECRET": consumer_secret,
        "SIASN_SSO_TOKEN_URL": url + "/sso/token",
        "SIASN_SSO_CLIENT_ID": SSO_CLIENT,
        "SIASN_SSO_USERNAME": SSO_USER,
        "SIASN_SSO_PASSWORD": sso_password,
    }


def check(fields: dict, body: dict) -> list[str]:
    """Every problem of a body against the contract: missing, unknown, wrongly typed fields, bad codes."""
    problems = [f"{name} is required" for name, (_, _, required) in fields.items() if required and name not in body]
    for name, value in body.items():
        if name not in fields:
            problems.append(f"{name} is not a field of this web service")
            continue
        kind, allowed, required = fields[name]
        if value is None and not required:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(f"{name} must be {kind.__name__}, got {type(value).__name__}")
        elif allowed is not None and value not in allowed:
            problems.append(f"{name}: {value!r} is not a code of its reference")
        elif kind is str and not value.strip():
            problems.append(f"{name} must not be empty")
    if "kreditUtamaBaru" in body and not problems:
        for name in ("kreditUtamaBaru", "kreditPenunjangBaru", "kreditBaruTotal"):
            try:
                float(body[name])
            except ValueError:
                problems.append(f"{name} must be a number in text")
    return problems


class ContractServer:
    def __init__(
        self,
        port: int = 0,
        token_lifetime: int = 3600,
        consumer_secret: str = CONSUMER_SECRET,
        sso_password: str = SSO_PASSWORD,
    ):
        self.token_lifetime = token_lifetime
        self.consumer_secret, self.sso_password = consumer_secret, sso_password
        self.lock = threading.Lock()
        self.records: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
        self.documents: list[dict] = []
        self.calls: list[dict] = []
        self.pns_of_nip: dict[str, str] = {}  # SIASN knows its employees: NIP -> PNS id (the history endpoints)
        self.gateway_tokens: dict[str, float] = {}
        self.sso_tokens: dict[str, float] = {}
        self.token_requests = {"gateway": 0, "sso": 0}
        self._faults: list[dict] = []
        self._held = threading.Event()
        self._holding: set[str] = set()
        self.arrived = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict | bytes, content_type: str = "application/json"):
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):  # noqa: N802
                server._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                server._handle(self, "POST")

            def do_DELETE(self):  # noqa: N802
                server._handle(self, "DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.base_url = self.url + BASE
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    # -- what a test sets up and reads ---------------------------------------------------------

    def env(self) -> dict:
        """The settings that point the channel at this server."""
        return channel_env(self.url, self.consumer_secret, self.sso_password)

    def fail(self, path: str, status: int, message: str = "Internal Server Error", times: int = 1) -> None:
        with self.lock:
            self._faults.append({"path": path, "status": status, "message": message, "times": times})

    def stall(self, path: str, seconds: float, times: int = 1) -> None:
        with self.lock:
            self._faults.append({"path": path, "stall": seconds, "times": times})

    def hold(self, path: str) -> None:
        """Store the next record saved at ``path``, then keep the answer until ``release()``."""
        self._held.clear()
        self._holding.add(path)

    def release(self) -> None:
        self._holding.clear()
        self._held.set()

    def saved(self, kind: str) -> list[dict]:
        with self.lock:
            return [dict(r) for r in self.records[kind].values()]

    def saves(self, kind: str) -> list[dict]:
        return [c for c in self.calls if c["path"] == f"{BASE}/{kind}/save"]

    def close(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- serving --------------------------------------------------------------------------------

    def _fault(self, path: str) -> dict | None:
        with self.lock:
            for fault in self._faults:
                if fault["path"] == path and fault["times"] > 0:
                    fault["times"] -= 1
                    return fault
        return None

    def _token(self, handler, which: str, form: dict) -> None:
        if which == "gateway":
            auth = handler.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode(f"{CONSUMER_KEY}:{self.consumer_secret}".encode()).decode()
            if auth != expected or form.get("grant_type") != "client_credentials":
                return handler._answer(401, {"error": "invalid_client"})
            store = self.gateway_tokens
        else:
            if (form.get("grant_type"), form.get("client_id"), form.get("username"), form.get("password")) != (
                "password",
                SSO_CLIENT,
                SSO_USER,
                self.sso_password,
            ):
                return handler._answer(401, {"error": "invalid_grant"})
            store = self.sso_tokens
        token = secrets.token_urlsafe(24)
        with self.lock:
            store[token] = time.time() + self.token_lifetime
            self.token_requests[which] += 1
        handler._answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime})

    def _authorised(self, handler) -> str | None:
        gateway = handler.headers.get("Authorization", "")
        sso = handler.headers.get("Auth", "")
        now = time.time()
        if not gateway.startswith("Bearer ") or self.gateway_tokens.get(gateway[7:], 0) < now:
            return "gateway token missing, unknown or expired (Authorization: Bearer)"
        if not sso.lower().startswith("bearer ") or self.sso_tokens.get(sso[7:], 0) < now:
            return "SSO token missing, unknown or expired (Auth: bearer)"
        return None

    def _handle(self, handler, method: str) -> None:
        parsed = urllib.parse.urlsplit(handler.path)
        path = parsed.path
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        call = {"method": method, "path": path, "headers": dict(handler.headers), "at": time.time()}
        if path in ("/oauth2/token", "/sso/token") and method == "POST":
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            return self._token(handler, "gateway" if path == "/oauth2/token" else "sso", form)
        if not path.startswith(BASE + "/"):
            return handler._answer(404, {"success": False, "message": "not found"})
        refused = self._authorised(handler)
        if refused:
            return handler._answer(401, {"success": False, "message": refused})
        fault = self._fault(path)
        if fault and "stall" in fault:
            time.sleep(fault["stall"])
        elif fault:
            return handler._answer(fault["status"], {"success": False, "message": fault["message"]})
        route = path[len(BASE) :]
        parts = route.strip("/").split("/")
        if method == "POST" and len(parts) == 2 and parts[0] in KINDS and parts[1] == "save":
            try:
                body = json.loads(raw)
            except ValueError:
                return handler._answer(400, {"success": False, "message": "body is not JSON"})
            call["body"] = body
            self.calls.append(call)
            return self._save(handler, parts[0], body, path)
        self.calls.append(call)
        if method == "GET" and len(parts) == 3 and parts[0] in KINDS and parts[1] == "id":
            record = self.records[parts[0]].get(parts[2])
            return handler._answer(
                200 if record else 404,
                {"success": bool(record), "data": record, "message": "" if record else "not found"},
            )
        if method == "GET" and len(parts) == 3 and parts[0] == "pns" and parts[1].startswith("rw-"):
            kind = {"rw-skp22": "skp22", "rw-kinerjaperiodik": "kinerjaperiodik", "rw-angkakredit": "angkakredit"}.get(
                parts[1]
            )
            if kind is None:
                return handler._answer(404, {"success": False, "message": "not found"})
            pns = self.pns_of_nip.get(parts[2])
            field = KINDS[kind][1]
            with self.lock:
                data = [dict(r) for r in self.records[kind].values() if pns and r.get(field) == pns]
            return handler._answer(200, {"success": True, "data": data})
        if (
            method == "DELETE"
            and len(parts) == 3
            and parts[0] in ("kinerjaperiodik", "angkakredit")
            and parts[1] == "delete"
        ):
            with self.lock:
                gone = self.records[parts[0]].pop(parts[2], None)
            return handler._answer(
                200 if gone else 404, {"success": bool(gone), "message": "" if gone else "not found"}
            )
        if method == "POST" and route in ("/upload-dok-rw", "/upload-dok"):
            return self._upload(handler, route, raw)
        return handler._answer(404, {"success": False, "message": f"no web service {method} {route}"})

    def _save(self, handler, kind: str, body, path: str) -> None:
        if not isinstance(body, dict):
            return handler._answer(400, {"success": False, "message": "body must be an object"})
        fields, _pns_field = KINDS[kind]
        problems = check(fields, body)
        if problems:
            return handler._answer(400, {"success": False, "message": "; ".join(problems)})
        with self.lock:
            if body.get("id"):
                if body["id"] not in self.records[kind]:
                    return handler._answer(400, {"success": False, "message": f"id {body['id']} tidak ditemukan"})
                record_id = body["id"]
                kept = self.records[kind][record_id].get("path")
            else:
                record_id = secrets.token_hex(16)
                kept = None
            stored = {**body, "id": record_id}
            if kept and "path" not in body:
                stored["path"] = kept
            self.records[kind][record_id] = stored
        self.arrived.set()
        if path in self._holding:
            self._held.wait(120)
        handler._answer(200, {"success": True, "message": "success", "mapData": record_id})

    def _upload(self, handler, route: str, raw: bytes) -> None:
        content_type = handler.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return handler._answer(400, {"success": False, "message": "multipart/form-data expected"})
        message = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw, policy=email_policy)
        form, file = {}, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name == "file":
                file = part.get_payload(decode=True)
            else:
                form[name] = part.get_content().strip()
        try:
            ref = int(form.get("id_ref_dokumen", ""))
        except ValueError:
            ref = None
        if ref not in DOCUMENT_REFS:
            return handler._answer(400, {"success": False, "message": "id_ref_dokumen must be 873, 890 or 879"})
        if not file or not file.startswith(b"%PDF"):
            return handler._answer(400, {"success": False, "message": "file must be a PDF"})
        uri = f"peremajaan/{secrets.token_hex(8)}.pdf"
        entry = {"dok_id": str(ref), "dok_nama": "Dokumen", "dok_uri": uri, "object": uri, "slug": str(ref)}
        if route == "/upload-dok-rw":
            record_id = form.get("id_riwayat")
            with self.lock:
                kind = next((k for k, records in self.records.items() if record_id in records), None)
                if kind is None:
                    return handler._answer(400, {"success": False, "message": f"riwayat {record_id} tidak ditemukan"})
                self.records[kind][record_id].setdefault("path", []).append(entry)
        self.documents.append({"ref": ref, "size": len(file), "id_riwayat": form.get("id_riwayat"), "pdf": file})
        handler._answer(200, {"success": True, "message": "success", "data": entry})


def main() -> None:  # pragma: no cover - the demo's process
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    server = ContractServer(args.port)
    print(json.dumps({"SIASN contract server": server.base_url}), flush=True)
    try:
        while True:
            time.sleep(60)
            counts = {kind: len(records) for kind, records in server.records.items()}
            print(json.dumps({"records": counts}), flush=True)
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":  # pragma: no cover
    main()
