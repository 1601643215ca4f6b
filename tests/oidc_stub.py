"""A stand-in for Microsoft Entra ID, served on loopback by the tests: token, userinfo and JWKS
endpoints, ID tokens signed with RS256 by a key made for the test run."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "havering-improve-test"
CLIENT_SECRET = "stub-secret"


class StubProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published_key = self.key  # what /keys publishes; a test may sign with another
        self.claims: dict = {}
        self.nonce: str | None = None
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def settings(self) -> dict:
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/keys",
        }

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            **self.claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append(form)
                self._json(
                    {
                        "access_token": "stub-access-token",
                        "token_type": "Bearer",
                        "id_token": provider.id_token(),
                    }
                )

            def do_GET(self):
                if self.path.startswith("/keys"):
                    jwk = json.loads(
                        jwt.algorithms.RSAAlgorithm.to_jwk(provider.published_key.public_key())
                    )
                    self._json({"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]})
                elif self.path.startswith("/userinfo"):
                    # Entra's userinfo has no groups; those come in the ID token.
                    self._json(
                        {k: v for k, v in provider.claims.items() if k not in ("groups", "roles")}
                    )
                else:
                    self.send_response(404)
                    self.end_headers()

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
