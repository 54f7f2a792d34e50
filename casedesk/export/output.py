"""What every renderer shares: its errors, its report, and writing a file atomically."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class ExportError(Exception):
    """A document could not be written; ``str(error)`` is the Chinese message for the user."""


@dataclass(frozen=True)
class ExportReport:
    """What an export produced."""

    path: Path
    pages: int
    substitutions: tuple[str, ...] = ()  # "仿宋 → 文泉驿微米黑"
    warnings: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """One Chinese sentence for a status bar or a dialog."""
        text = f"已导出 {self.pages} 页：{self.path}"
        if self.substitutions:
            text += f"（字体替换：{'；'.join(self.substitutions)}）"
        return text


@contextmanager
def atomic_output(out: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``out`` only when the block finishes without an error.

    The data goes to a temporary file in the same folder, which is flushed to disk and then
    renamed over ``out``. On any error the temporary file is removed and an existing ``out``
    stays as it was, so a failed export never leaves a half-written document behind.
    """
    out = Path(out)
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(f"保存位置不存在：{folder}")
    tmp = folder / f".{out.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ExportError(f"无法在 {folder} 中写入文件：{exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, out)
        except PermissionError as exc:
            raise ExportError(
                f"无法覆盖 {out}：文件可能正被其他程序（例如 PDF 阅读器）打开，请关闭后重试"
            ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
