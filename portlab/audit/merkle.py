"""Merkle tree hash as in RFC 6962 (Certificate Transparency), section 2.1.

MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0), and for n > 1 entries, with k the
largest power of two smaller than n: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
The 0x00 / 0x01 prefixes keep a leaf from ever being read as an inner node.
"""

import hashlib
from collections.abc import Sequence


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of the leaves, in order."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = _split(len(leaves))
    return node_hash(tree_hash(leaves[:k]), tree_hash(leaves[k:]))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf `index` (RFC 6962 section 2.1.1), leaf side first."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf index {index} outside a tree of {len(leaves)}")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [tree_hash(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [tree_hash(leaves[:k])]


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Recompute the root from one leaf and its audit path (RFC 9162 section 2.1.3.2)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside a tree of {size}")
    node, last, hashed = index, size - 1, leaf_hash(leaf)
    for sibling in proof:
        if last == 0:
            raise ValueError("inclusion proof is longer than the tree is deep")
        if node % 2 == 1 or node == last:
            hashed = node_hash(sibling, hashed)
            while node % 2 == 0 and node != 0:
                node, last = node >> 1, last >> 1
        else:
            hashed = node_hash(hashed, sibling)
        node, last = node >> 1, last >> 1
    if last != 0:
        raise ValueError("inclusion proof is shorter than the tree is deep")
    return hashed
