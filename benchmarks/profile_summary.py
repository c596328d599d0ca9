"""Where the web workers' time goes, from py-spy's raw stacks (``make prod-check`` with
``PROFILE_DIR=…``): the share of the samples each function appears in (inclusive), over the
samples that were handling a request.

    python benchmarks/profile_summary.py PROFILE_DIR [--top 40] [--match seal_app]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r"^(.*) (\d+)$")
IN_REQUEST = "wsgi_app"  # Flask's entry: a sample without it is a worker waiting for work


def summary(folder: Path, match: str) -> tuple[int, Counter]:
    counts: Counter = Counter()
    total = 0
    for path in folder.glob("*.txt"):
        for line in path.read_text().splitlines():
            found = LINE.match(line)
            if not found or IN_REQUEST not in found.group(1):
                continue
            stack, samples = found.group(1), int(found.group(2))
            total += samples
            names = {re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")}
            for name in names:
                if match in name:
                    counts[name] += samples
    return total, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="")
    arguments = parser.parse_args()
    total, counts = summary(arguments.folder, arguments.match)
    print(f"{total} samples in requests")
    for name, samples in counts.most_common(arguments.top):
        print(f"{samples / total:6.1%}  {name[:150]}")


if __name__ == "__main__":
    main()
