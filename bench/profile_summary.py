"""Where a server's CPU went, from the collapsed stacks `bench.ack_latency --profile` writes.

    .venv/bin/python -m bench.profile_summary DIR/secondchance.txt [--commands 200] [--top 30]

Each line of py-spy's raw output is a stack (outermost first, frames split by ';') and a sample
count. Printed: the samples, the share of each frame (inclusive: the stacks it is on), the top
ones first, and, given --commands, the milliseconds per command (samples / rate / commands).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# py-spy's frame: "function (path/to/file.py:123)"; the line number is dropped to group by function.
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def frames(stack: str) -> list[str]:
    out = []
    for frame in stack.split(";"):
        match = FRAME.match(frame.strip())
        out.append(f"{match['file']}:{match['function']}" if match else frame.strip())
    return out


def summarise(path: Path) -> tuple[int, Counter[str], Counter[str]]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        names = frames(stack)
        for name in set(names):
            inclusive[name] += n
        if names:
            own[names[-1]] += n
    return total, inclusive, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--commands", type=int, help="commands served while sampling")
    parser.add_argument("--rate", type=int, default=250, help="py-spy's samples per second")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", help="only frames whose name contains this")
    args = parser.parse_args()
    total, inclusive, own = summarise(args.path)

    def ms(n: int) -> str:
        return f"{n * 1000 / args.rate / args.commands:7.2f} ms" if args.commands else ""

    print(f"{total} samples {ms(total)}")
    for title, counts in (("inclusive", inclusive), ("self", own)):
        print(f"-- {title}")
        shown = [(k, v) for k, v in counts.most_common() if not args.match or args.match in k]
        for name, n in shown[: args.top]:
            print(f"{n * 100 / total:5.1f}% {ms(n)}  {name}")


if __name__ == "__main__":
    main()
