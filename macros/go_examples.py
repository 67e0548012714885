"""The output a Go testable example declares, which `go test` checks.

Showing the `// Output:` comment is showing what the program printed: the
verification run fails if the program prints anything else.
"""

from __future__ import annotations

import re
from pathlib import Path

_OUTPUT = re.compile(r"^\s*//\s*(Unordered output|Output):\s*(.*)$", re.I)


class ExampleError(Exception):
    pass


def example_output(package: Path, name: str) -> str:
    if not name.startswith("Example"):
        raise ExampleError(f"'{name}' is not a testable example (its name must start with Example)")
    pattern = re.compile(rf"^func {re.escape(name)}\(\)\s*\{{", re.M)
    for source in sorted(package.glob("*_test.go")):
        text = source.read_text()
        match = pattern.search(text)
        if match:
            return _output_of(text[match.end():], name)
    raise ExampleError(f"func {name}() not found in the package's _test.go files")


def _output_of(body: str, name: str) -> str:
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("}"):
            break
        found = _OUTPUT.match(line)
        if found:
            output = [found.group(2)] if found.group(2) else []
            for rest in lines[index + 1:]:
                if rest.startswith("}") or not rest.strip().startswith("//"):
                    break
                output.append(re.sub(r"^\s*// ?", "", rest))
            return "\n".join(output)
    raise ExampleError(f"{name}() has no // Output: comment, so go test does not check what it prints")
