"""What every statement of the national generator must agree on: the sizes, the network's ids
and the formulas that make a capability (which test item, which turnaround) from its lab and
its place in the lab's list, so that a test computes its capability's item and turnaround
without reading the capability back."""

import datetime as dt
from dataclasses import dataclass
from math import gcd

from portlab.demo.hashed import Draws, literal_array, pick

NATIONAL = {"labs": 1370, "districts": 42, "capabilities": 8427, "tests": 50_000_000,
            "instruments": 160_000}
TESTS_PER_SAMPLE = 6
TURNAROUND_DAYS = [3, 5, 7]
# Salts: one per drawn quantity (hashed.Draws).
LAB_OFFSET, LAB_STRIDE, ACCREDITED, PRICE, TURNAROUND, CAPACITY = 1, 2, 3, 4, 5, 6


@dataclass
class Plan:
    draws: Draws
    lab_ids: list[int]
    accredited_labs: list[bool]  # the lab has a CNAS number
    item_ids: list[int]
    method_ids: list[int]
    per_lab: int  # capabilities per lab, taken from the catalog without repeats
    first_capability: int  # capability c (lab l, place j) has id first_capability + c
    now: dt.datetime

    def labs(self) -> str:
        return literal_array(self.lab_ids)

    def capability(self, lab: str, place: str) -> str:
        """The number c of place j in lab l's list of capabilities."""
        return f"(({lab}) * {self.per_lab} + ({place}))"

    def item_index(self, lab: str, place: str) -> str:
        """The catalog entry (test item and method) of a lab's capability: the lab walks the
        catalog from a drawn start by a drawn step prime to its size, so no entry repeats."""
        size = len(self.item_ids)
        strides = [step for step in range(1, size) if gcd(step, size) == 1]
        stride = pick(literal_array(strides), self.draws.below(lab, LAB_STRIDE, len(strides)))
        return f"mod({self.draws.below(lab, LAB_OFFSET, size)} + ({place}) * {stride}, {size})"

    def turnaround(self, capability: str) -> str:
        return pick(literal_array(TURNAROUND_DAYS, "int"),
                    self.draws.below(capability, TURNAROUND, len(TURNAROUND_DAYS)))
