"""Running the CLI in-process, as the tests need it."""

from __future__ import annotations

import re

from roadmap.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit status, stdout, stderr)."""
    try:
        main(list(args))
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_en(capsys, *args: str) -> tuple[int, str, str]:
    """`run`, with the English of the error line printed in both languages (`错误：… /
    error: …`, every command's default): `error: …`."""
    status, out, err = run(capsys, *args)
    return status, out, re.sub(r"^错误：.*? / (?=error: )", "", err, flags=re.MULTILINE)
