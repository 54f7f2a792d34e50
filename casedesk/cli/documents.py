"""``casedesk export-document``: a suggestion document (司法建议书, 检察建议书, 检察意见书,
补正材料一次性告知书) as a .docx or .pdf in the official layout.

``--sample KIND`` exports a sample filled with demo text, for checking the layout without a
database; ``--db PATH --id ID`` exports a document saved in the database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from casedesk.cli.common import db_parent, fail, resolve_db_path
from casedesk.domain.documents import KINDS, Document
from casedesk.domain.errors import FieldErrors
from casedesk.export.output import ExportError, ExportReport
from casedesk.services.errors import ServiceError
from casedesk.store.database import StoreError

FORMATS = ("docx", "pdf")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-document",
        parents=[db_parent()],
        help="把建议书等文书导出为 Word（.docx）或 PDF，按公文格式排版",
        description="把司法建议书、检察建议书、检察意见书或补正材料一次性告知书导出为 .docx 或 "
        ".pdf（A4，GB/T 9704-2012 版式，PDF 嵌入中文字体）。",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--sample",
        metavar="KIND",
        help=f"导出演示用样例：{'、'.join(KINDS)}，或 judicial、procuratorial、opinion、notice",
    )
    source.add_argument("--id", metavar="ID", help="数据库中已保存的文书编号（内部编号）")
    p.add_argument("--format", choices=FORMATS, help="输出格式（默认按文件扩展名）")
    p.add_argument("out", metavar="OUT", help="输出文件（.docx 或 .pdf）")
    p.set_defaults(func=run_export_document)


def document_from_args(args: argparse.Namespace) -> Document:
    """The document the arguments name: a sample, or one saved in the database (a draft is
    exported as it stands, marked by its missing number; unfilled placeholders are refused)."""
    if args.sample:
        from casedesk.export.document_samples import sample

        return sample(args.sample)
    from casedesk.services.app import Services

    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        raise ExportError(f"数据库文件“{path}”不存在")
    services = Services.open(path)
    try:
        return services.suggestions.document(args.id)
    finally:
        services.close()


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise FieldErrors({"format": "请用 --format docx 或 --format pdf 指定输出格式"})


def export(doc: Document, fmt: str, out: Path) -> ExportReport:
    if fmt == "docx":
        from casedesk.export.document_docx import render_document_docx

        return render_document_docx(doc, out)
    from casedesk.export.document_pdf import render_document_pdf

    return render_document_pdf(doc, out)


def run_export_document(args: argparse.Namespace) -> int:
    try:
        fmt = output_format(args)
        doc = document_from_args(args)
        report = export(doc, fmt, Path(args.out).expanduser())
    except FieldErrors as exc:
        return fail("；".join(exc.errors.values()))
    except (ExportError, ServiceError, StoreError) as exc:
        return fail(str(exc), code=1)
    if fmt == "pdf":
        print(f"已导出 PDF（{report.pages} 页）：{report.path}")
        if report.substitutions:
            print("字体替换（本机没有规定字体，已改用）：" + "；".join(report.substitutions))
        else:
            print("字体：均为规定字体")
    else:
        print(f"已导出 Word 文件（按版心约 {report.pages} 页）：{report.path}")
        print("字体：文件中指定方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312、宋体，"
              "由打开文件的电脑提供")  # fmt: skip
    for warning in report.warnings:
        print(f"提示：{warning}")
    return 0
