"""Errors raised by the domain layer.

Every error carries a Vietnamese message fit to show a user as it is: pages turn it into
`st.error(str(err))`, the CLI prints it on one line and exits 2.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: `str(err)` is a complete Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PlanFormatError(PlannerError):
    """A plan file (JSON) is not readable or not of the expected shape."""


class StorageError(PlannerError):
    """The database could not be read or written."""


class NotFoundError(PlannerError):
    """A plan, version or row asked for does not exist."""


class ConflictError(PlannerError):
    """A save was made from an older version than the newest one.

    The rejected content is kept as its own version (`mine_version`), so nothing is lost.
    """

    def __init__(self, message: str, *, theirs_version: int, mine_version: int) -> None:
        super().__init__(message)
        self.theirs_version = theirs_version
        self.mine_version = mine_version


class DeletedPlanError(PlannerError):
    """A save into a plan that was moved to the bin (by another session) was refused.

    Nothing was stored: the caller still holds the plan it tried to save and may restore the
    plan from the bin and save again, or save its plan as a new one.
    """

    def __init__(self, message: str, *, plan_id: str, title: str = "") -> None:
        super().__init__(message)
        self.plan_id = plan_id
        self.title = title


class CatalogueError(PlannerError):
    """The directive catalogue or an imported catalogue file has a problem."""


class DocxImportError(PlannerError):
    """A Word file could not be read as a plan."""


class ExportError(PlannerError):
    """A document could not be produced (bad template, bad plan)."""


class InputFileError(PlannerError):
    """An uploaded or given file is unusable (wrong type, encoding, size)."""


def os_error_text(err: OSError) -> str:
    """A short Vietnamese reason for a file-system error (the OS's own text is English)."""
    if isinstance(err, FileNotFoundError):
        return "không tìm thấy tệp hoặc thư mục"
    if isinstance(err, PermissionError):
        return "không có quyền truy cập"
    if isinstance(err, IsADirectoryError):
        return "đây là một thư mục, không phải tệp"
    if isinstance(err, NotADirectoryError):
        return "đường dẫn không phải thư mục"
    return f"lỗi hệ thống tệp ({err.strerror or err})"


class SignInError(PlannerError):
    """A sign-in was refused: unknown name or wrong password (one message for both), a locked
    or a disabled account."""


class AccessDenied(PlannerError):
    """The signed-in user's role or unit does not allow what was asked; nothing was done."""


class AccountError(PlannerError):
    """An account could not be added or changed (bad name, weak password, name taken)."""
