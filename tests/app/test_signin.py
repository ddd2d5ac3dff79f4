"""Sign-in setup (app.signin) and the start command's checks (`python -m app serve`)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib

import pytest

from app import serve_cli, signin
from tests.conftest import ROOT

OIDC_ENV = {
    "MAGDI_OIDC_REDIRECT_URI": "https://magdi.example.org/oauth2callback",
    "MAGDI_OIDC_COOKIE_SECRET": 'c0ok"ie\\secret',
    "MAGDI_OIDC_CLIENT_ID": "magdi",
    "MAGDI_OIDC_CLIENT_SECRET": "s3cret",
    "MAGDI_OIDC_SERVER_METADATA_URL": "https://login.example.org/.well-known/openid-configuration",
}
PROXY_ENV = {"MAGDI_PROXY_HEADER": "X-Forwarded-Email", "MAGDI_PROXY_ADDRESSES": "127.0.0.1, 10.1.0.0/16"}


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.3.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True)]
    + [("0.0.0.0", False), ("", False), ("::", False), ("192.0.2.2", False), ("example.org", False)],
)
def test_loopback_addresses(address, loopback):
    assert signin.is_loopback(address) is loopback


def test_the_start_command_refuses_a_non_loopback_address_without_sign_in():
    """The real command, before anything starts: exit status 2 and the way to configure sign-in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAGDI_OIDC", "MAGDI_PROXY"))}
    for args in (["--address", "0.0.0.0"], ["--server.address", "192.0.2.2"], ["--server.address="]):
        done = subprocess.run(
            [sys.executable, "-m", "app", "serve", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert "which is not loopback, without sign-in" in done.stderr
        assert "MAGDI_OIDC_CLIENT_ID" in done.stderr and "MAGDI_PROXY_HEADER" in done.stderr
        assert "Deploying for a team" in done.stderr


def test_the_address_may_come_from_streamlits_variable_and_is_checked_the_same(tmp_path):
    with pytest.raises(signin.SignInError, match="refusing to serve on 0.0.0.0"):
        serve_cli.prepare([], {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}, tmp_path / "a.toml")
    cmd, _ = serve_cli.prepare(
        ["--server.address=::1"], {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}, tmp_path / "a"
    )
    assert cmd[cmd.index("--server.address") + 1] == "::1" and cmd.count("--server.address") == 1


def test_serve_starts_streamlit_on_loopback_and_passes_other_options(tmp_path):
    cmd, env = serve_cli.prepare(["--port", "8600", "--server.headless", "true"], {}, tmp_path / "a.toml")
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app/main.py")
    assert cmd[5:] == ["--server.address", "127.0.0.1", "--server.port", "8600", "--server.headless", "true"]
    assert "FORWARDED_ALLOW_IPS" not in env and not (tmp_path / "a.toml").exists()


def test_oidc_from_the_environment_is_written_to_a_private_secrets_file(tmp_path):
    generated = tmp_path / "secrets" / "auth.toml"
    cmd, _ = serve_cli.prepare(["--address", "0.0.0.0"], dict(OIDC_ENV), generated)
    assert cmd[cmd.index("--secrets.files") + 1] == str(generated)
    assert stat.S_IMODE(generated.stat().st_mode) == 0o600
    auth = tomllib.loads(generated.read_text())["auth"]
    assert auth == {k.removeprefix("MAGDI_OIDC_").lower(): v for k, v in OIDC_ENV.items()}


def test_incomplete_or_conflicting_sign_in_is_refused_with_what_is_missing(tmp_path):
    partial = {k: v for k, v in OIDC_ENV.items() if k != "MAGDI_OIDC_COOKIE_SECRET"}
    with pytest.raises(signin.SignInError, match="lacks MAGDI_OIDC_COOKIE_SECRET$"):
        serve_cli.prepare([], partial, tmp_path / "a.toml")
    with pytest.raises(signin.SignInError, match="both OIDC and proxy"):
        serve_cli.prepare([], OIDC_ENV | PROXY_ENV, tmp_path / "a.toml")
    with pytest.raises(signin.SignInError, match="needs both MAGDI_PROXY_HEADER and MAGDI_PROXY_ADDRESSES"):
        signin.Proxy.from_env({"MAGDI_PROXY_HEADER": "X-Forwarded-Email"})
    with pytest.raises(signin.SignInError, match="'proxy.internal' is not an IP address"):
        signin.Proxy.from_env(PROXY_ENV | {"MAGDI_PROXY_ADDRESSES": "proxy.internal"})
    file = tmp_path / "secrets.toml"
    file.write_text('[auth]\nclient_id = "x"\n')
    with pytest.raises(signin.SignInError, match="lacks redirect_uri, cookie_secret, client_secret"):
        signin.oidc_from_file(file)


def test_proxy_mode_may_bind_any_address_and_trusts_no_forwarded_for(tmp_path):
    cmd, env = serve_cli.prepare(["--address", "0.0.0.0"], dict(PROXY_ENV), tmp_path / "a.toml")
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
    assert env["FORWARDED_ALLOW_IPS"] == ""  # uvicorn then takes no X-Forwarded-For as the peer


def test_the_proxy_header_is_believed_only_from_the_proxy():
    proxy = signin.Proxy.from_env(PROXY_ENV)
    assert proxy.identity(["ann@example.org"], "127.0.0.1") == "ann@example.org"
    assert proxy.identity([" ann@example.org "], "10.1.200.3") == "ann@example.org"
    for peer in ("192.0.2.2", "10.2.0.1", "::1", "not an address"):
        with pytest.raises(signin.SignInError, match="does not come through the sign-in proxy"):
            proxy.identity(["ann@example.org"], peer)
    for values in ([], [""], ["ann@example.org", "boss@example.org"]):  # a second copy: refused
        with pytest.raises(signin.SignInError, match="must send one non-empty X-Forwarded-Email"):
            proxy.identity(values, "127.0.0.1")


def test_oidc_in_a_secrets_file_allows_any_address(tmp_path, monkeypatch):
    file = tmp_path / "secrets.toml"
    monkeypatch.setattr(serve_cli, "SECRETS", (tmp_path / "absent.toml", file))
    file.write_text("[connections]\nx = 1\n")  # secrets without [auth]: no sign-in
    with pytest.raises(signin.SignInError, match="not loopback"):
        serve_cli.prepare(["--address", "0.0.0.0"], {}, tmp_path / "a.toml")
    auth = {k.removeprefix("MAGDI_OIDC_").lower(): v for k, v in OIDC_ENV.items()}
    file.write_text(signin.secrets_toml(auth))
    cmd, _ = serve_cli.prepare(["--address", "0.0.0.0"], {}, tmp_path / "a.toml")
    assert "--secrets.files" not in cmd  # Streamlit reads the file itself
    with pytest.raises(signin.SignInError, match="OIDC is configured twice"):
        serve_cli.prepare([], dict(OIDC_ENV), tmp_path / "a.toml")


def test_an_oidc_user_is_their_verified_email_else_their_subject():
    assert signin.oidc_identity({"sub": "u1", "email": "ann@example.org", "email_verified": True}) == (
        "ann@example.org"
    )
    assert signin.oidc_identity({"sub": "u1", "email": "ann@example.org"}) == "ann@example.org"
    assert signin.oidc_identity({"sub": "u1", "email": ""}) == "u1"
    with pytest.raises(signin.SignInError, match="has not verified the e-mail address boss@example.org"):
        signin.oidc_identity({"sub": "u2", "email": "boss@example.org", "email_verified": False})
    with pytest.raises(signin.SignInError, match="neither an e-mail address nor a subject"):
        signin.oidc_identity({"is_logged_in": True})
