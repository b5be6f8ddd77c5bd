"""Bearer tokens (API tokens, instrument agent tokens): made here, and kept only as a digest, so a
stolen database holds no usable token. Pure, no Django."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits of randomness, 43 URL-safe characters


def new_token(prefix: str = "") -> str:
    """A fresh random token, shown to its owner once."""
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored and looked up: the SHA-256 of the token, in hex. A plain hash suffices
    (no salt, no slow hash) because a token carries 256 random bits, not a chosen password."""
    return hashlib.sha256(token.encode()).hexdigest()
