"""How people sign in: local mode (the default: loopback, no sign-in), OpenID Connect through
Streamlit's `st.login`, or a trusted reverse proxy's header. No Streamlit here: `python -m app serve`
checks the setup before it starts Streamlit, and `app.ui.identity` applies it on every page run."""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

OIDC_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
OIDC_ENV = {key: f"MAGDI_OIDC_{key.upper()}" for key in OIDC_KEYS}
PROXY_HEADER_ENV = "MAGDI_PROXY_HEADER"
PROXY_ADDRESSES_ENV = "MAGDI_PROXY_ADDRESSES"

HOW = (
    "to sign people in, configure OIDC ([auth] in .streamlit/secrets.toml, or "
    + ", ".join(OIDC_ENV.values())
    + f") or a trusted reverse proxy ({PROXY_HEADER_ENV} and {PROXY_ADDRESSES_ENV}); "
    "see README, 'Deploying for a team'"
)


class SignInError(ValueError):
    """Sign-in is configured wrongly, or a request cannot be signed in; the message says why."""


def is_loopback(address: str) -> bool:
    """Whether a bind address reaches only this machine ("" and 0.0.0.0 mean every interface;
    any other host name is not trusted to resolve to loopback)."""
    address = address.strip().strip("[]")
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def loopback_refusal(address: str) -> str:
    shown = address or "every interface"
    return f"refusing to serve on {shown}, which is not loopback, without sign-in; {HOW}"


def _check_oidc(auth: Mapping, where: str) -> dict[str, str]:
    values = {key: str(auth.get(key) or "").strip() for key in OIDC_KEYS}
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise SignInError(f"OIDC sign-in in {where} lacks {', '.join(missing)}")
    return values


def oidc_from_env(env: Mapping[str, str]) -> dict[str, str] | None:
    """The [auth] settings from MAGDI_OIDC_* (all five, or none)."""
    given = {key: env.get(name, "") for key, name in OIDC_ENV.items()}
    if not any(v.strip() for v in given.values()):
        return None
    try:
        return _check_oidc(given, "the environment")
    except SignInError:
        missing = [OIDC_ENV[k] for k, v in given.items() if not v.strip()]
        raise SignInError(f"OIDC sign-in from the environment lacks {', '.join(missing)}") from None


def oidc_from_file(path: Path) -> dict[str, str] | None:
    """The [auth] settings of a Streamlit secrets file, if it has an [auth] section."""
    if not path.is_file():
        return None
    try:
        auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SignInError(f"{path} cannot be read as TOML: {type(exc).__name__}") from None
    if not auth:
        return None
    return _check_oidc(auth, str(path))


def secrets_toml(auth: Mapping[str, str]) -> str:
    """A secrets file with just this [auth] section (values as TOML basic strings)."""
    lines = ["[auth]"]
    for key in OIDC_KEYS:
        escaped = auth[key].replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'{key} = "{escaped}"')
    return "\n".join(lines) + "\n"


def oidc_identity(claims: Mapping) -> str:
    """The identity of an OIDC user: the `email` claim, else the subject (`sub`). An e-mail the
    provider says it has not verified is refused: anyone could otherwise claim an admin's address."""
    email = str(claims.get("email") or "").strip()
    if email:
        if claims.get("email_verified") is False:
            raise SignInError(f"the sign-in provider has not verified the e-mail address {email}")
        return email
    sub = str(claims.get("sub") or "").strip()
    if not sub:
        raise SignInError("the sign-in provider sent neither an e-mail address nor a subject")
    return sub


@dataclass(frozen=True)
class Proxy:
    """A reverse proxy that signs people in and passes their identity in `header`; the header is
    believed only on connections from `networks`."""

    header: str
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Proxy | None:
        header = env.get(PROXY_HEADER_ENV, "").strip()
        addresses = [a.strip() for a in env.get(PROXY_ADDRESSES_ENV, "").split(",") if a.strip()]
        if not header and not addresses:
            return None
        if not header or not addresses:
            raise SignInError(f"proxy mode needs both {PROXY_HEADER_ENV} and {PROXY_ADDRESSES_ENV}")
        networks = []
        for address in addresses:
            try:
                networks.append(ipaddress.ip_network(address, strict=False))
            except ValueError:
                raise SignInError(
                    f"{PROXY_ADDRESSES_ENV}: {address!r} is not an IP address or network"
                ) from None
        return cls(header, tuple(networks))

    def trusts(self, peer: str) -> bool:
        try:
            ip = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def identity(self, values: list[str], peer: str) -> str:
        """The identity the proxy passed (`values`: every copy of its header in the request), if
        `peer`, the connection's address, is the proxy's."""
        if not self.trusts(peer):
            raise SignInError(f"this connection ({peer}) does not come through the sign-in proxy")
        values = [v.strip() for v in values]
        if len(values) != 1 or not values[0]:
            raise SignInError(f"the sign-in proxy must send one non-empty {self.header} header")
        return values[0]
