"""`python -m server secret`: create the cookie secret file if there is none.
`python -m server check`: the checks `serve.py` makes before it starts (`make serve` runs both
first, so a refusal is the only thing printed)."""

from __future__ import annotations

import sys

from server.settings import SECRET_ENV, read_secret, secret_file

USAGE = "Cách dùng: python -m server secret | python -m server check"


def main(argv: list[str]) -> int:
    if argv == ["secret"]:
        if read_secret(create=True) is None:
            print(
                f"Khóa bí mật trong {SECRET_ENV} hoặc {secret_file()} quá ngắn (cần ít nhất 32 "
                "ký tự).",
                file=sys.stderr,
            )
            return 1
        return 0
    if argv == ["check"]:
        from server.preflight import NotReady, check

        try:
            check()
        except NotReady as e:
            print(f"\n{e}\n", file=sys.stderr)
            return 2
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
