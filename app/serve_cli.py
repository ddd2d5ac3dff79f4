"""`python -m app serve`: start the app (`streamlit run app/main.py`) after checking its sign-in
setup. It refuses an address that is not loopback unless sign-in (OIDC or a trusted proxy) is
configured; OIDC settings from MAGDI_OIDC_* are written to a private secrets file for Streamlit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import signin

ROOT = Path(__file__).resolve().parents[1]
# where Streamlit looks by itself (the later one wins)
SECRETS = (Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml")
GENERATED = ROOT / "var" / "secrets" / "auth.toml"  # MAGDI_OIDC_* written for Streamlit (mode 600)
CONFIG_ADDRESS = "127.0.0.1"  # server.address of streamlit_config.toml


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m app serve",
        allow_abbrev=False,  # --server.* options pass through untouched
        description="Start MAGDi Studio's web app. Other options go to `streamlit run` "
        "(e.g. --server.port 8600).",
    )
    p.add_argument(
        "--address",
        help="address to bind (default: $STREAMLIT_SERVER_ADDRESS, else 127.0.0.1); "
        "one that is not loopback needs sign-in",
    )
    p.add_argument("--port", type=int, help="port (default: 8501)")
    return p


def _address(args: argparse.Namespace, extra: list[str], env: dict[str, str]) -> tuple[str, list[str]]:
    """The bind address and the remaining Streamlit options (a --server.address among them is
    taken out: it is checked like --address)."""
    address, rest, i = args.address, [], 0
    while i < len(extra):
        arg = extra[i]
        if arg == "--server.address" and i + 1 < len(extra):
            address, i = extra[i + 1], i + 2
            continue
        if arg.startswith("--server.address="):
            address = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    if address is None:
        address = env.get("STREAMLIT_SERVER_ADDRESS", CONFIG_ADDRESS)
    return address, rest


def prepare(
    argv: list[str], env: dict[str, str], generated: Path = GENERATED
) -> tuple[list[str], dict[str, str]]:
    """The `streamlit run` command line and its environment (OIDC settings from the environment
    written to `generated`); SignInError when it must not start."""
    args, extra = build_parser().parse_known_args(argv)
    address, extra = _address(args, extra, env)
    proxy = signin.Proxy.from_env(env)
    from_env = signin.oidc_from_env(env)
    in_files = [path for path in SECRETS if signin.oidc_from_file(path)]
    from_file = bool(in_files)
    if from_env and from_file:
        raise signin.SignInError(f"OIDC is configured twice ({in_files[0]} and MAGDI_OIDC_*): keep one")
    if proxy and (from_env or from_file):
        raise signin.SignInError("both OIDC and proxy sign-in are configured: keep one")
    if not (proxy or from_env or from_file) and not signin.is_loopback(address):
        raise signin.SignInError(signin.loopback_refusal(address))
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py")]
    cmd += ["--server.address", address]
    if args.port is not None:
        cmd += ["--server.port", str(args.port)]
    child = dict(env)
    if from_env:
        generated.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(generated, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(signin.secrets_toml(from_env))
        cmd += ["--secrets.files", str(generated)]
    if proxy:
        # The peer address must be the proxy's own: Streamlit's web server (uvicorn) would
        # otherwise take X-Forwarded-For from loopback peers as the client's address.
        child["FORWARDED_ALLOW_IPS"] = ""
    return cmd + extra, child


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        cmd, env = prepare(argv, dict(os.environ))
    except signin.SignInError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    os.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml
    sys.stdout.flush()
    os.execve(cmd[0], cmd, env)
    return 0  # not reached: the process is Streamlit now
