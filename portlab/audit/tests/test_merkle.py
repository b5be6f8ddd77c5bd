"""RFC 6962 Merkle tree hashes against the Certificate Transparency reference vectors: the eight
leaves and tree heads of google/certificate-transparency cpp/merkletree/merkle_tree_test.cc,
also published as transparency-dev/merkle testonly/constants.go."""

import pytest

from portlab.audit import merkle

LEAVES = [bytes.fromhex(text) for text in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]

ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# (leaf index from 0, tree size, audit path) from the same reference tests.
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (0, 1, []),
]


@pytest.mark.parametrize("size", sorted(ROOTS))
def test_tree_head_matches_the_certificate_transparency_reference(size: int) -> None:
    assert merkle.tree_hash(LEAVES[:size]).hex() == ROOTS[size]


def test_leaf_and_node_hashes_use_the_rfc_prefixes() -> None:
    import hashlib

    assert merkle.leaf_hash(b"a") == hashlib.sha256(b"\x00a").digest()
    assert merkle.node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proof_matches_the_reference(index: int, size: int, path: list[str]) -> None:
    proof = merkle.inclusion_proof(index, LEAVES[:size])
    assert [node.hex() for node in proof] == path
    root = merkle.root_from_inclusion_proof(index, size, LEAVES[index], proof)
    assert root.hex() == ROOTS[size]


def test_every_inclusion_proof_verifies_in_trees_of_every_shape() -> None:
    leaves = [bytes([n, n * 7 % 256]) for n in range(37)]
    for size in range(1, len(leaves) + 1):
        root = merkle.tree_hash(leaves[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(index, leaves[:size])
            assert merkle.root_from_inclusion_proof(index, size, leaves[index], proof) == root


def test_a_proof_for_another_leaf_does_not_reach_the_root() -> None:
    proof = merkle.inclusion_proof(3, LEAVES)
    assert merkle.root_from_inclusion_proof(3, 8, LEAVES[4], proof).hex() != ROOTS[8]
    with pytest.raises(ValueError, match="outside a tree of 8"):
        merkle.inclusion_proof(8, LEAVES)
