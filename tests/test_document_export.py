"""Suggestion documents exported to DOCX and PDF, read back: page, margins, grid, faces, the
text of every line, page numbers, the 抄送 block, embedded fonts, escaping, refusals, the CLI.

Layout rules: GB/T 9704-2012 《党政机关公文格式》 (law.md §7.4); structures: law.md §7.3.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from casedesk.cli.main import main
from casedesk.domain import documents as d
from casedesk.domain.documents import Block, Document, document_lines, plain_text
from casedesk.export.document_docx import render_document_docx
from casedesk.export.document_layout import CHAR, DOCX_FONTS, MM, layout
from casedesk.export.document_pdf import render_document_pdf
from casedesk.export.document_samples import ALIASES, SAMPLES, kind_of, sample
from casedesk.export.fonts import MissingGlyphsError
from casedesk.export.output import ExportError

KINDS = list(SAMPLES)
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip
UNSHOWABLE = "\u0378"  # an unassigned code point: no font has a glyph for it
MARKUP = "A&B <b>建材</b> 公司 \"甲\" '乙' &amp; 5 > 3"
PAGE_NUMBER = re.compile(r"— (\d+) —")
TWIPS_PER_MM = 1440 / 25.4


def escaped_doc() -> Document:
    doc = sample(d.PROCURATORIAL)
    blocks = (*doc.blocks, Block(d.PARAGRAPH, f"当事人：{MARKUP}。"))
    return replace(doc, recipient=f"{MARKUP}有限公司", blocks=blocks, copy_to=(MARKUP,))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- DOCX ---------------------------------------------------------------------------------


def body_paragraphs(document: docx.document.Document) -> list:  # type: ignore[name-defined]
    """The paragraphs of the text flow (not those of the 抄送 table), in order."""
    return [el for el in document.element.body if el.tag == qn("w:p")]


def para_text(p) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def run_fonts(p) -> set[tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    """(w:eastAsia, w:sz) of every run with text."""
    out = set()
    for r in p.iter(qn("w:r")):
        if r.find(qn("w:t")) is None:
            continue
        fonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        size = r.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        out.add(
            (
                fonts.get(qn("w:eastAsia")) if fonts is not None else None,
                size.get(qn("w:val")) if size is not None else None,
            )
        )
    return out


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for i, kind in enumerate(KINDS):
        out[kind] = folder / f"{i}.docx"
        render_document_docx(sample(kind), out[kind])
    return out


def test_docx_a4_margins_and_grid(docx_files: dict[str, Path]) -> None:
    # GB/T 9704-2012 第5章: A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 22 行 × 28 字
    section = docx.Document(docx_files[d.JUDICIAL]).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin)  # fmt: skip
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert 22 * line_pitch <= 225 * TWIPS_PER_MM < 23 * line_pitch  # 22 lines a page
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # 3号 = 16 pt
    assert abs(28 * char_pitch_pt - 156 * 72 / 25.4) < 0.5  # 28 characters a line


@pytest.mark.parametrize("kind", KINDS)
def test_docx_text_is_the_models_lines(kind: str, docx_files: dict[str, Path]) -> None:
    document = docx.Document(docx_files[kind])
    flow = [para_text(p) for p in body_paragraphs(document)]
    lines = document_lines(sample(kind))
    assert flow == [line.text for line in lines if line.role != d.COPY_TO]
    copy = [line.text for line in lines if line.role == d.COPY_TO]
    assert [c.text for t in document.tables for c in t._cells] == copy


def test_docx_east_asian_fonts_on_every_run_and_normal(docx_files: dict[str, Path]) -> None:
    # GB/T 9704-2012 7.3.1 标题 2号小标宋; 7.3.3 正文 3号仿宋, 一、黑体, （一）楷体
    document = docx.Document(docx_files[d.JUDICIAL])
    expected = {
        d.TITLE: ("方正小标宋简体", "44"),
        d.NUMBER: ("仿宋_GB2312", "32"),
        d.RECIPIENT: ("仿宋_GB2312", "32"),
        d.BODY_HEADING: ("黑体", "32"),
        d.BODY_SUBHEADING: ("楷体_GB2312", "32"),
        d.BODY: ("仿宋_GB2312", "32"),
        d.SIGNATURE: ("仿宋_GB2312", "32"),
        d.DATE: ("仿宋_GB2312", "32"),
    }
    lines = [line for line in document_lines(sample(d.JUDICIAL)) if line.role != d.COPY_TO]
    seen = set()
    for p, line in zip(body_paragraphs(document), lines, strict=True):
        if line.role in expected:
            assert run_fonts(p) == {expected[line.role]}, line
            seen.add(line.role)
    assert seen == set(expected)
    table_paragraph = document.tables[0]._cells[0]._tc.find(qn("w:p"))
    assert run_fonts(table_paragraph) == {("仿宋_GB2312", "28")}  # 7.4 版记 4号仿宋
    normal = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_docx_font_table_names_stand_ins(docx_files: dict[str, Path]) -> None:
    document = docx.Document(docx_files[d.JUDICIAL])
    part = next(p for p in document.part.package.iter_parts() if "fontTable" in str(p.partname))
    text = part.blob.decode("utf-8")
    for name in DOCX_FONTS.values():
        assert f'w:name="{name}"' in text
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋"', text)


def indents(p) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None:
        return {}
    return {k.split("}")[1]: int(v) for k, v in ind.attrib.items()}


def alignment(p) -> str | None:  # type: ignore[no-untyped-def]
    jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return None if jc is None else jc.get(qn("w:val"))


TWO_CHARS = round(2 * CHAR * 20)
FOUR_CHARS = round(4 * CHAR * 20)


@pytest.mark.parametrize(
    ("role", "align", "check"),
    [
        (d.TITLE, "center", lambda ind: True),  # 7.3.1 居中
        (d.RECIPIENT, "both", lambda ind: ind == {}),  # 7.3.2 居左顶格
        (d.BODY_HEADING, "both", lambda ind: ind == {"firstLine": TWO_CHARS}),  # 7.3.3
        (d.BODY, "both", lambda ind: ind == {"firstLine": TWO_CHARS}),  # 7.3.3 每段空二字
        (d.ATTACHMENT, "both", lambda ind: ind["left"] - ind["hanging"] == TWO_CHARS),  # 7.3.4
        (d.DATE, "right", lambda ind: ind == {"right": FOUR_CHARS}),  # 7.3.5.1 右空四字
        (d.CONTACT, "both", lambda ind: ind == {"firstLine": TWO_CHARS}),  # 7.3.6 附注 空二字
    ],
)
def test_docx_paragraph_layout(role: str, align: str, check, docx_files) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(docx_files[d.JUDICIAL])
    lines = [line for line in document_lines(sample(d.JUDICIAL)) if line.role != d.COPY_TO]
    found = [p for p, line in zip(body_paragraphs(document), lines, strict=True)
             if line.role == role]  # fmt: skip
    assert found
    for p in found[:1]:
        assert alignment(p) == align
        assert check(indents(p)), indents(p)


def test_docx_signature_centred_over_the_date(docx_files: dict[str, Path]) -> None:
    # GB/T 9704-2012 7.3.5.1: 发文机关署名以成文日期为准居中编排; 日期右空四字
    doc = sample(d.JUDICIAL)
    placed = {p.line.role: p for p in layout(doc)}
    sig, day = placed[d.SIGNATURE], placed[d.DATE]
    sig_center = sig.right_indent + len(doc.issuer) * CHAR / 2
    day_center = day.right_indent + 7 * CHAR / 2  # 2026年11月26日: 8 digits ½ + 3 = 7
    assert abs(sig_center - day_center) < 0.01
    assert sig.space_before >= 2 * 28  # room for the seal


def test_docx_copy_to_block_between_rules_at_the_foot(docx_files: dict[str, Path]) -> None:
    # GB/T 9704-2012 7.4: 版记 at the foot of the last page, rules 0.35 mm
    document = docx.Document(docx_files[d.JUDICIAL])
    (table,) = document.tables
    tblpr = table._tbl.tblPr
    floating = tblpr.find(qn("w:tblpPr"))
    assert floating.get(qn("w:tblpYSpec")) == "bottom"
    assert floating.get(qn("w:vertAnchor")) == "margin"
    borders = tblpr.find(qn("w:tblBorders"))
    for edge in ("top", "bottom"):
        rule = borders.find(qn(f"w:{edge}"))
        assert rule.get(qn("w:val")) == "single"
        assert abs(int(rule.get(qn("w:sz"))) / 8 - 0.35 * 72 / 25.4) < 0.1  # eighths of a pt
    paragraph = table._cells[0]._tc.find(qn("w:p"))
    ind = indents(paragraph)
    assert ind["left"] - ind["hanging"] == 280  # one character of 4号 in
    assert ind["hanging"] == 3 * 280  # wraps aligned after "抄送："


def test_docx_footers_with_page_fields_odd_right_even_left(docx_files: dict[str, Path]) -> None:
    # GB/T 9704-2012 7.5: 4号半角宋体 "— 1 —", 单页居右空一字, 双页居左空一字
    document = docx.Document(docx_files[d.JUDICIAL])
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align, side in ((section.footer, "right", "right"),
                                (section.even_page_footer, "left", "left")):  # fmt: skip
        (p,) = footer.paragraphs
        xml = p._p
        instr = "".join(t.text for t in xml.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [f.get(qn("w:fldCharType")) for f in xml.iter(qn("w:fldChar"))] == [
            "begin", "separate", "end",
        ]  # fmt: skip
        assert para_text(xml) == "— 1 —"
        assert run_fonts(xml) == {("宋体", "28")}
        assert alignment(xml) == align
        assert indents(xml) == {side: 280}
        assert abs(section.footer_distance.mm - 25) < 1


# --- PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for i, kind in enumerate(KINDS):
        path = folder / f"{i}.pdf"
        out[kind] = (path, render_document_pdf(sample(kind), path))
    return out


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_pdf_a4_and_the_long_sample_runs_to_pages(pdf_files) -> None:  # type: ignore[no-untyped-def]
    path, report = pdf_files[d.JUDICIAL]
    reader = PdfReader(path)
    assert report.pages == len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 0.5 and abs(height - 841.89) < 0.5  # A4 portrait


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_every_font_embedded(kind: str, pdf_files) -> None:  # type: ignore[no-untyped-def]
    path, _report = pdf_files[kind]
    seen = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"]).lstrip("/")
            seen.add(base)
            assert base not in BASE14
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), base
    assert seen


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_text_is_the_models_text(kind: str, pdf_files) -> None:  # type: ignore[no-untyped-def]
    path, _report = pdf_files[kind]
    text = "".join(PAGE_NUMBER.sub("", t) for t in page_texts(path))
    assert squeeze(text) == squeeze(plain_text(sample(kind)))


def test_pdf_page_numbers_odd_right_even_left(pdf_files) -> None:  # type: ignore[no-untyped-def]
    # GB/T 9704-2012 7.5: "— 1 —", 单页码居右, 双页码居左, 7 mm below the text block
    path, _report = pdf_files[d.JUDICIAL]
    reader = PdfReader(path)
    for number, page in enumerate(reader.pages, start=1):
        spots: list[tuple[str, float, float]] = []

        def visit(text, _cm, tm, _fonts, _size, spots=spots) -> None:  # type: ignore[no-untyped-def]
            if PAGE_NUMBER.fullmatch(text.strip()):
                spots.append((text.strip(), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        ((text, x, y),) = spots
        assert text == f"— {number} —"
        assert y < 35 * MM - 7 * MM  # below the text block
        if number % 2:
            assert x > 297.6  # right half
        else:
            assert x < 297.6 - 50


def test_pdf_metadata_names_the_substituted_faces(pdf_files) -> None:  # type: ignore[no-untyped-def]
    path, report = pdf_files[d.JUDICIAL]
    meta = PdfReader(path).metadata
    assert (
        meta.title == "乌鲁木齐市天山区人民法院关于加强建设工程领域农民工工资支付监管的司法建议书"
    )
    keywords = meta["/Keywords"]
    if report.substitutions:
        assert keywords.startswith("字体替换：")
        for item in report.substitutions:
            assert item in keywords and " → " in item
    else:
        assert keywords == "字体：均为规定字体"


# --- both ---------------------------------------------------------------------------------


def test_markup_characters_come_out_literally(tmp_path: Path) -> None:
    doc = escaped_doc()
    render_document_docx(doc, tmp_path / "x.docx")
    document = docx.Document(tmp_path / "x.docx")
    texts = [para_text(p) for p in body_paragraphs(document)]
    assert f"{MARKUP}有限公司：" in texts and f"当事人：{MARKUP}。" in texts
    assert document.tables[0]._cells[0].text == f"抄送：{MARKUP}。"
    render_document_pdf(doc, tmp_path / "x.pdf")
    text = squeeze("".join(PAGE_NUMBER.sub("", t) for t in page_texts(tmp_path / "x.pdf")))
    assert squeeze(MARKUP) in text and text == squeeze(plain_text(doc))


def test_characters_no_font_has_are_refused_and_nothing_written(tmp_path: Path) -> None:
    doc = sample(d.NOTICE)
    doc = replace(doc, blocks=(*doc.blocks, Block(d.PARAGRAPH, f"经营者：张{UNSHOWABLE}")))
    out = tmp_path / "告知书.pdf"
    with pytest.raises(MissingGlyphsError) as caught:
        render_document_pdf(doc, out)
    message = str(caught.value)
    assert "U+0378" in message and "没有这些字符" in message and "未生成文件" in message
    assert caught.value.chars == {UNSHOWABLE}
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "建议书.pdf"
    out.write_bytes(b"previous")
    doc = replace(sample(d.OPINION), contact=f"李{UNSHOWABLE}")
    with pytest.raises(MissingGlyphsError):
        render_document_pdf(doc, out)
    assert out.read_bytes() == b"previous" and list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("render", [render_document_docx, render_document_pdf])
def test_control_characters_are_refused_in_chinese(render, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = replace(sample(d.NOTICE), recipient="新疆\x0b丝路公司")
    with pytest.raises(ExportError, match="控制字符（U\\+000B）"):
        render(doc, tmp_path / "x.out")
    assert list(tmp_path.iterdir()) == []


def test_a_line_break_inside_a_paragraph_is_kept(tmp_path: Path) -> None:
    doc = sample(d.OPINION)
    doc = replace(doc, blocks=(*doc.blocks, Block(d.PARAGRAPH, "第一行\n第二行")))
    render_document_pdf(doc, tmp_path / "x.pdf")
    assert "第一行\n第二行" in "".join(page_texts(tmp_path / "x.pdf"))


def test_a_tail_longer_than_a_page_still_exports(tmp_path: Path) -> None:
    # the issuer is kept with the text above it, unless that cannot fit on any page
    doc = replace(sample(d.OPINION), attachments=tuple(f"证据材料{i}" for i in range(1, 41)))
    report = render_document_pdf(doc, tmp_path / "x.pdf")
    assert report.pages >= 3
    text = "".join(PAGE_NUMBER.sub("", t) for t in page_texts(tmp_path / "x.pdf"))
    assert squeeze(text) == squeeze(plain_text(doc))


def test_samples_follow_the_structures() -> None:
    # law.md §7.3: 检察建议书 in five sections; both 建议书 pass the finalising check
    headings = [b.text for b in sample(d.PROCURATORIAL).blocks if b.kind == d.HEADING]
    assert headings == ["问题来源", "查明的事实及证据", "存在的问题", "建议内容及依据",
                        "异议期限与回复期限"]  # fmt: skip
    for kind in KINDS:
        d.check_final(sample(kind))
    assert any(b.kind == d.ITEM for b in sample(d.JUDICIAL).blocks)


def test_sample_kind_names_and_aliases() -> None:
    for kind in KINDS:
        assert kind_of(kind) == kind
    for alias, kind in ALIASES.items():
        assert kind_of(alias) == kind
    assert kind_of("Judicial") == d.JUDICIAL
    with pytest.raises(d.FieldErrors, match="没有“起诉书”这种文书样例"):
        kind_of("起诉书")


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "fmt"), [("judicial", "docx"), ("检察建议书", "pdf"),
                                           ("opinion", "pdf"), ("notice", "docx")])  # fmt: skip
def test_cli_writes_both_formats(kind: str, fmt: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"样例.{fmt}"
    assert main(["export-document", "--sample", kind, "--format", fmt, str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed
    doc = sample(kind)
    if fmt == "pdf":
        text = "".join(PAGE_NUMBER.sub("", t) for t in page_texts(out))
        assert squeeze(text) == squeeze(plain_text(doc))
        assert "字体替换" in printed or "均为规定字体" in printed
    else:
        texts = [para_text(p) for p in body_paragraphs(docx.Document(out))]
        assert texts[0] == document_lines(doc)[0].text


def test_cli_format_from_the_file_name_and_bad_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "a.pdf"
    assert main(["export-document", "--sample", "notice", str(out)]) == 0
    assert PdfReader(out).pages
    assert main(["export-document", "--sample", "notice", str(tmp_path / "a.txt")]) == 2
    assert "--format" in capsys.readouterr().err
    assert main(["export-document", "--sample", "起诉书", str(tmp_path / "b.pdf")]) == 2
    assert "没有“起诉书”这种文书样例" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


def test_cli_reports_a_refused_document(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from casedesk.cli import documents

    bad = replace(sample(d.NOTICE), recipient=f"新疆{UNSHOWABLE}公司")
    monkeypatch.setattr(documents, "document_from_args", lambda args: bad)
    out = tmp_path / "x.pdf"
    assert main(["export-document", "--sample", "notice", str(out)]) == 1
    assert "U+0378" in capsys.readouterr().err
    assert not out.exists()


def test_signed_date_and_recipient_line() -> None:
    doc = replace(sample(d.JUDICIAL), signed_on=date(2026, 1, 5))
    lines = {line.role: line.text for line in document_lines(doc)}
    assert lines[d.DATE] == "2026年1月5日"  # GB/T 9704-2012 7.3.5: no zero padding
    assert lines[d.RECIPIENT].endswith("：")
