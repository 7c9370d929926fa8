"""The mutation score of the last `mutmut run` (`make mutation`): killed / all mutants, and the survivors.

Reads mutmut's result files under mutants/; `.venv/bin/mutmut show <name>` prints a survivor's diff.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def main() -> int:
    metas = sorted(Path("mutants").rglob("*.meta"))
    if not metas:
        print("No mutmut results under mutants/: run `make mutation`.")
        return 1
    statuses: dict[str, str] = {}
    for meta in metas:
        for name, exit_code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = status_by_exit_code[exit_code]
    counts = Counter(statuses.values())
    killed = counts["killed"] + counts["timeout"]
    total = len(statuses)
    for name in sorted(name for name, status in statuses.items() if status not in ("killed", "timeout")):
        print(f"{statuses[name]:>12}  {name}")
    print(", ".join(f"{status}: {count}" for status, count in counts.most_common()))
    print(f"Mutation score: {killed}/{total} killed = {100 * killed / total:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
