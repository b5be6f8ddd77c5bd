"""Deterministic pseudo-random draws written as SQL expressions of a row number, for data made
inside PostgreSQL: hashint8extended(number, seed) is a 64-bit hash, so a row's draws are the
same whichever statement, chunk or order computes them (a test and its sample agree on the
sample's draws without passing them on), and a seed gives the same data again."""

from collections.abc import Sequence

MASK = 2**63 - 1
UNIT = 2**48


class Draws:
    """Draws for one seed; `salt` tells apart the draws of one row (one salt per quantity)."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def hash(self, number: str, salt: int) -> str:
        return f"(hashint8extended(({number})::bigint, {self.seed * 1000 + salt}) & {MASK})"

    def below(self, number: str, salt: int, count: int | str) -> str:
        """A whole number from 0 to count - 1."""
        return f"mod({self.hash(number, salt)}, {count})"

    def uniform(self, number: str, salt: int) -> str:
        """A float in [0, 1)."""
        return f"(mod({self.hash(number, salt)}, {UNIT})::float8 / {UNIT})"

    def gauss(self, number: str, salt: int) -> str:
        """A standard normal draw (Box-Muller over the draws of `salt` and `salt + 500`)."""
        return (f"(sqrt(-2 * ln(1 - {self.uniform(number, salt)})) "
                f"* cos(2 * pi() * {self.uniform(number, salt + 500)}))")


def literal_array(values: Sequence[int], kind: str = "bigint") -> str:
    """A constant SQL array of whole numbers (safe to write into the statement)."""
    return f"'{{{','.join(str(int(value)) for value in values)}}}'::{kind}[]"


def text_array(values: Sequence[str]) -> str:
    """A constant SQL array of our own plain words (status names)."""
    words = [str(value) for value in values]
    assert all(word.isidentifier() for word in words)
    quoted = ", ".join(f"'{word}'" for word in words)
    return f"ARRAY[{quoted}]::text[]"


def pick(values: str, index: str) -> str:
    """The element of a SQL array at a 0-based `index`."""
    return f"({values})[1 + {index}]"
