"""Print the mutation-testing table per module from mutmut's results in mutants/.

Run after `make mutate` (or `mutmut run`). A survivor named (in backquotes) in the section
"## Equivalent survivors" of docs/mutation.md is counted as equivalent, so the score is
killed / (mutants - equivalent); any other survivor is listed as "open".
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
MUTANT_NAME = re.compile(r"`(portlab\.[^`\s]+__mutmut_\d+)`")


def module_of(mutant: str) -> str:
    """`portlab.quality.westgard.x_evaluate__mutmut_3` -> `portlab.quality.westgard`."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def read_results(mutants_dir: Path) -> dict[str, dict[str, str]]:
    by_module: dict[str, dict[str, str]] = defaultdict(dict)
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        for mutant, code in codes.items():
            by_module[module_of(mutant)][mutant] = status_by_exit_code[code]
    return by_module


def equivalent_mutants(document: str) -> set[str]:
    section = document.split("\n## Equivalent survivors", 1)[-1].split("\n## ", 1)[0]
    return set(MUTANT_NAME.findall(section))


def main() -> int:
    equivalent = equivalent_mutants((ROOT / "docs" / "mutation.md").read_text())
    by_module = read_results(ROOT / "mutants")
    print("| module | mutants | killed | survived, equivalent | survived, open | score |")
    print("|---|---|---|---|---|---|")
    routing = {
        name: status
        for module, statuses in by_module.items() if module.startswith("portlab.transfers.routing.")
        for name, status in statuses.items()
    }
    rows = sorted(by_module.items())
    if routing:
        rows.append(("portlab.transfers.routing (all)", routing))
    open_survivors = []
    for module, statuses in rows:
        open_survivors += print_row(module, statuses, equivalent)
    for name in sorted(set(open_survivors)):
        print("open:", name)
    return 0


def print_row(module: str, statuses: dict[str, str], equivalent: set[str]) -> list[str]:
    """One table row; returns the survivors not listed as equivalent."""
    counts = Counter(statuses.values())
    survivors = [name for name, status in statuses.items() if status == "survived"]
    judged = [name for name in survivors if name in equivalent]
    scored = len(statuses) - len(judged)
    score = 100.0 * counts["killed"] / scored if scored else 100.0
    others = {status: n for status, n in counts.items() if status not in ("killed", "survived")}
    note = f" ({others})" if others else ""
    print(f"| {module} | {len(statuses)} | {counts['killed']} | {len(judged)} | "
          f"{len(survivors) - len(judged)} | {score:.1f} %{note} |")
    return sorted(set(survivors) - set(judged))


if __name__ == "__main__":
    sys.exit(main())
