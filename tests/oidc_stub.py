"""A stand-in for Microsoft Entra ID, served on loopback by the tests: authorisation (as a Python
call standing for the person signing in), token, userinfo, JWKS and end-session endpoints, with ID
tokens signed with RS256 by a key made for the test run.

It behaves as Entra does where the app's safety depends on it: a code is good once, for the
redirect URI and PKCE challenge it was issued for; an expired client secret is `invalid_client`.
A test can make it misbehave: refuse every code, fail an endpoint, issue another tenant's token,
rename a person (same object id, new user name), or require PKCE."""

import base64
import copy
import hashlib
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "havering-improve-test"
CLIENT_SECRET = "stub-secret"


class StubProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published_key = self.key  # what /keys publishes; a test may sign with another
        self.tenant_id = str(uuid.uuid4())
        self.claims: dict = {}  # the person who signs in next
        self.token_claims: dict = {}  # put into the ID token over everything else
        self.require_pkce = False
        self.refuse_codes = False  # every code is answered with invalid_grant
        self.secret_expired = False  # the client secret is answered with invalid_client
        self.failing: set[str] = set()  # endpoints answering 500: "token", "userinfo", "keys"
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.end_session_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def settings(self) -> dict:
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ENTRA_TENANT_ID": self.tenant_id,
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/keys",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/logout",
        }

    def switch_on(self, settings, role_groups: dict) -> None:
        """Council sign-in on, against this provider (`settings` is pytest-django's fixture)."""
        for name, value in self.settings().items():
            setattr(settings, name, value)
        settings.OIDC_ROLE_GROUPS = role_groups
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "havering_improve.sso.CouncilOIDCBackend",
        ]
        # As settings/base.py does for an end-session endpoint: the sign-out form may go there.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(self.url)
        settings.CONTENT_SECURITY_POLICY = policy

    def rename(self, username: str) -> None:
        """The council renames the person: same object id, new user name and email."""
        self.claims = {**self.claims, "preferred_username": username, "email": username}

    # The person at the provider's sign-in page.

    def authorize(self, authorize_url: str) -> dict:
        """What the provider sends the browser back with: {"code", "state"} or {"error", ...}."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        challenge = query.get("code_challenge")
        if challenge and query.get("code_challenge_method") != "S256":
            return {"error": "invalid_request", "state": query["state"]}
        if self.require_pkce and not challenge:
            return {"error": "invalid_request", "state": query["state"]}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "code_challenge": challenge,
            "claims": dict(self.claims),
        }
        return {"code": code, "state": query["state"]}

    def id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = grant["claims"]
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "tid": self.tenant_id,
            "sub": claims.get("oid", "") + "-pairwise",
            **claims,
            **self.token_claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def _token_answer(self, form: dict) -> tuple[int, dict]:
        if "token" in self.failing:
            return 500, {}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client", "error_codes": [7000215]}
        if self.secret_expired:
            return 401, {
                "error": "invalid_client",
                "error_description": f"AADSTS7000222: The client secret for {CLIENT_ID} "
                "has expired.",
                "error_codes": [7000222],
            }
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or self.refuse_codes:
            return 400, {
                "error": "invalid_grant",
                "error_description": "AADSTS54005: OAuth2 Authorization code was already redeemed.",
                "error_codes": [54005],
            }
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_codes": [50011]}
        if grant["code_challenge"] or "code_verifier" in form:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_codes": [501481]}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["claims"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "id_token": self.id_token(grant),
        }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _fail(self):
                self.send_response(500)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<h1>Service unavailable</h1>")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                status, body = provider._token_answer(form)
                if status == 500:
                    return self._fail()
                self._json(body, status)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                if path == "/keys":
                    if "keys" in provider.failing:
                        return self._fail()
                    jwk = json.loads(
                        jwt.algorithms.RSAAlgorithm.to_jwk(provider.published_key.public_key())
                    )
                    self._json({"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]})
                elif path == "/userinfo":
                    if "userinfo" in provider.failing:
                        return self._fail()
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.access_tokens.get(token)
                    if claims is None:
                        return self._json({"error": "invalid_token"}, 401)
                    # Entra's userinfo has no groups; those come in the ID token.
                    self._json(
                        {
                            "sub": claims.get("oid", "") + "-pairwise",
                            **{k: v for k, v in claims.items() if k not in ("groups", "roles")},
                        }
                    )
                elif path == "/authorize":
                    # A browser (tests/browser) signs straight in as provider.claims.
                    answer = provider.authorize(self.path)
                    redirect_uri = parse_qs(query)["redirect_uri"][0]
                    self.send_response(302)
                    self.send_header("Location", f"{redirect_uri}?{urlencode(answer)}")
                    self.end_headers()
                elif path == "/logout":
                    params = {k: v[0] for k, v in parse_qs(query).items()}
                    provider.end_session_requests.append(params)
                    back = params.get("post_logout_redirect_uri")
                    self.send_response(302 if back else 200)
                    if back:
                        self.send_header("Location", back)
                    self.end_headers()
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
