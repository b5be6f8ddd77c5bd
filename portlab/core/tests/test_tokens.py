from portlab.core.tokens import new_token, token_digest


def test_digest_is_sha256_hex() -> None:
    # FIPS 180-2, Appendix B.1: SHA-256("abc").
    assert token_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_new_tokens_carry_their_prefix_and_differ() -> None:
    first, second = new_token("plt_"), new_token("plt_")
    assert first.startswith("plt_") and len(first) == len("plt_") + 43
    assert first != second
    assert len(new_token()) == 43
