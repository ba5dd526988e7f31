"""`python -m server secret`: create the cookie secret file if there is none (`make serve`)."""

from __future__ import annotations

import sys

from server.settings import SECRET_ENV, read_secret, secret_file


def main(argv: list[str]) -> int:
    if argv != ["secret"]:
        print("Cách dùng: python -m server secret", file=sys.stderr)
        return 2
    if read_secret(create=True) is None:
        print(
            f"Khóa bí mật trong {SECRET_ENV} hoặc {secret_file()} quá ngắn (cần ít nhất 32 ký tự).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
