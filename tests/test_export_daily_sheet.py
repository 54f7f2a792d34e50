"""今日期限一览 as a PDF: read back with pypdf; the font search on fake font folders."""

from __future__ import annotations

import re
import struct
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from casedesk.export import daily_sheet, fonts
from casedesk.export.daily_sheet import (
    BANDS,
    EMPTY_MESSAGE,
    TITLE,
    DailySheet,
    SheetRow,
    band_for,
    render_daily_sheet,
)
from casedesk.export.fonts import (
    FontNotFoundError,
    MissingGlyphsError,
    find_fonts,
    missing_glyphs,
    registered_fonts,
)
from casedesk.export.output import ExportError

AS_OF = date(2026, 11, 25)
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip
RULES = (
    "一审普通程序审理期限",
    "审查批捕期限",
    "侦查羁押期限（延长一个月）",
    "解除无关财产（3日）",
    "提请批准逮捕（24小时）",
)
PARTIES = (
    "新疆天山纺织有限公司；乌鲁木齐市恒达物流有限责任公司",
    "买买提·艾力；新疆丝路建材贸易有限公司；中国工商银行股份有限公司乌鲁木齐天山支行；"
    "新疆某某房地产开发有限公司（破产管理人：新疆正衡律师事务所）",
    "王某某",
)
UNSHOWABLE = "\u0378"  # an unassigned code point: no font has a glyph for it


def make_rows(n: int) -> tuple[SheetRow, ...]:
    rows = []
    for i in range(n):
        days = (-9, -1, 0, 2, 3, 6)[i % 6]
        due = AS_OF + timedelta(days=days)
        rows.append(
            SheetRow(
                band=band_for(days) or "",
                case_number=f"（2026）新0102民初{1000 + i}号",
                rule_name=RULES[i % len(RULES)],
                due_on=due,
                due_at=datetime.combine(due, datetime.min.time()).replace(hour=14)
                if i % 5 == 4
                else None,
                days_left=days,
                handler=("李娜", "欧阳明远")[i % 2],
                parties=PARTIES[i % len(PARTIES)],
                note="已申请延长" if i % 4 == 0 else "",
            )
        )
    return tuple(rows)


def make_sheet(n: int, **kwargs: object) -> DailySheet:
    return DailySheet(
        as_of=AS_OF,
        printed_by="李娜",
        rows=make_rows(n),
        unit="乌鲁木齐市天山区人民法院",
        filter_text="承办人：全部",
        printed_at=datetime(2026, 11, 25, 8, 30),
        **kwargs,  # type: ignore[arg-type]
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def font_file() -> Path:
    """The embeddable Chinese font this machine has (scripts/system-deps.sh installs one)."""
    return registered_fonts().body.path


# --- the PDF ----------------------------------------------------------------------------


def test_a4_every_font_embedded_no_base14(tmp_path: Path) -> None:
    out = tmp_path / "今日期限.pdf"
    report = render_daily_sheet(make_sheet(8), out)
    reader = PdfReader(out)
    assert report.path == out and report.pages == len(reader.pages) >= 1
    seen = set()
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 0.5 and abs(height - 841.89) < 0.5  # A4 portrait
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            seen.add(base)
            assert base.lstrip("/") not in BASE14
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, base
    assert seen


def test_text_has_title_rows_and_bands(tmp_path: Path) -> None:
    sheet = make_sheet(12)
    render_daily_sheet(sheet, tmp_path / "a.pdf")
    text = squeeze("".join(page_texts(tmp_path / "a.pdf")))
    assert TITLE in text
    assert "2026年11月25日星期三" in text and "乌鲁木齐市天山区人民法院" in text
    assert "承办人：全部" in text and "打印人：李娜" in text and "2026年11月25日08:30" in text
    for band in BANDS:
        assert band in text
    for row in sheet.rows:
        assert squeeze(row.case_number) in text
        assert squeeze(row.rule_name) in text
    assert "逾期9日" in text and "已申请延长" in text and "14:00" in text
    assert "已逾期4件" in text and "合计12件" in text
    assert "第1页共" in text


def test_bands_in_order_and_overdue_first(tmp_path: Path) -> None:
    render_daily_sheet(make_sheet(12), tmp_path / "a.pdf")
    text = squeeze("".join(page_texts(tmp_path / "a.pdf")))
    body = text.split("合计12件", 1)[1]
    positions = [body.index(f"{band}") for band in BANDS]
    assert positions == sorted(positions)


def test_many_rows_span_pages_and_repeat_the_header(tmp_path: Path) -> None:
    sheet = make_sheet(120)
    out = tmp_path / "many.pdf"
    report = render_daily_sheet(sheet, out)
    texts = [squeeze(t) for t in page_texts(out)]
    assert report.pages == len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "序号案号期限名称届满时间剩余承办人当事人" in text, number
        assert f"第{number}页共{len(texts)}页" in text
        assert "打印人：李娜" in text
    whole = "".join(texts)
    for row in sheet.rows:
        assert whole.count(squeeze(row.case_number)) == 1  # every row printed, once


def test_long_party_list_wraps_inside_its_cell(tmp_path: Path) -> None:
    long_parties = "；".join(f"新疆第{i}号建材贸易有限责任公司" for i in range(60))
    row = SheetRow("已逾期", "（2026）新0102民初1号", "审理期限", AS_OF, -1, parties=long_parties)
    out = tmp_path / "long.pdf"
    report = render_daily_sheet(DailySheet(AS_OF, "李娜", rows=(row,)), out)
    text = squeeze("".join(page_texts(out)))
    assert report.pages >= 2  # taller than a page: the row is split, not cut off
    for i in range(60):
        assert f"新疆第{i}号建材贸易有限责任公司" in text


def test_markup_characters_are_text(tmp_path: Path) -> None:
    row = SheetRow("今日届满", "（2026）新0102民初2号", "期限<b>&", AS_OF, 0, parties="A & B <C>")
    render_daily_sheet(DailySheet(AS_OF, "李娜", rows=(row,)), tmp_path / "m.pdf")
    text = squeeze("".join(page_texts(tmp_path / "m.pdf")))
    assert "期限<b>&" in text and "A&B<C>" in text


def test_empty_sheet_says_so(tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    report = render_daily_sheet(make_sheet(0), out)
    text = squeeze(page_texts(out)[0])
    assert report.pages == 1
    assert EMPTY_MESSAGE in text and "合计0件" in text and "第1页共1页" in text


def test_unknown_band_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的期限分组"):
        SheetRow("7日后届满", "（2026）新0102民初1号", "审理期限", AS_OF, 9)


def test_band_for() -> None:
    assert [band_for(d) for d in (-3, 0, 1, 3, 4, 7, 8)] == [
        "已逾期", "今日届满", "3日内届满", "3日内届满", "7日内届满", "7日内届满", None,
    ]  # fmt: skip


# --- atomic writing ----------------------------------------------------------------------


def test_failed_render_leaves_no_file_and_no_tmp(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken_build(fh, *args, **kwargs):  # type: ignore[no-untyped-def]
        fh.write(b"%PDF-1.4 half a document")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(daily_sheet, "_build", broken_build)
    with pytest.raises(RuntimeError, match="disk on fire"):
        render_daily_sheet(make_sheet(3), tmp_path / "sheet.pdf")
    assert list(tmp_path.iterdir()) == []


def test_failed_render_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "sheet.pdf"
    render_daily_sheet(make_sheet(3), out)
    before = out.read_bytes()

    def broken_build(fh, *args, **kwargs):  # type: ignore[no-untyped-def]
        fh.write(b"garbage")
        raise RuntimeError("boom")

    monkeypatch.setattr(daily_sheet, "_build", broken_build)
    with pytest.raises(RuntimeError):
        render_daily_sheet(make_sheet(5), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_text_the_font_cannot_show_is_refused(tmp_path: Path) -> None:
    row = SheetRow(
        "已逾期", "（2026）新0102民初7号", "审理期限", AS_OF, -1, parties=f"张{UNSHOWABLE}某"
    )
    with pytest.raises(MissingGlyphsError) as caught:
        render_daily_sheet(DailySheet(AS_OF, "李娜", rows=(row,)), tmp_path / "x.pdf")
    assert caught.value.chars == {UNSHOWABLE}
    assert "（2026）新0102民初7号" in str(caught.value) and "方框" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_chinese_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="保存位置不存在"):
        render_daily_sheet(make_sheet(1), tmp_path / "no" / "such" / "x.pdf")


def test_report_message_names_substitutions(tmp_path: Path) -> None:
    report = render_daily_sheet(make_sheet(2), tmp_path / "r.pdf")
    assert report.substitutions == registered_fonts().substitutions
    assert report.message.startswith(f"已导出 {report.pages} 页")
    for substitution in report.substitutions:
        assert "→" in substitution and substitution in report.message


# --- fonts --------------------------------------------------------------------------------


def cff_font(path: Path) -> Path:
    """A file with an OpenType/CFF header (what Noto CJK and Source Han are)."""
    header = b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0)
    record = struct.pack(">4sIII", b"CFF ", 0, 28, 4)
    path.write_bytes(header + record + b"\0" * 4)
    return path


def link(target: Path, path: Path) -> Path:
    path.symlink_to(target)
    return path


def test_fonts_are_registered_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = registered_fonts()

    def no_second_search(**kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("fonts searched again")

    monkeypatch.setattr(fonts, "find_fonts", no_second_search)
    assert registered_fonts() is first
    render_daily_sheet(make_sheet(2), tmp_path / "a.pdf")
    render_daily_sheet(make_sheet(2), tmp_path / "b.pdf")


def test_no_usable_font_raises_what_to_install(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "simsun.ttc").write_bytes(b"not a font at all")
    cff_font(folder / "simfang.ttf")
    (folder / "readme.txt").write_text("fonts go here")
    with pytest.raises(FontNotFoundError) as caught:
        find_fonts(env={}, search_dirs=[folder], project_fonts=None)
    message = str(caught.value)
    assert "未找到可嵌入 PDF 的中文字体" in message
    assert "sudo apt-get install fonts-wqy-microhei" in message
    assert "simfang.ttf：PostScript（CFF）轮廓" in message
    assert "simsun.ttc：不是有效的字体文件" in message


def test_cff_font_is_skipped_for_a_truetype_one(tmp_path: Path, font_file: Path) -> None:
    cff_font(tmp_path / "simfang.ttf")
    link(font_file, tmp_path / "wqy-microhei.ttc")
    found = find_fonts(env={}, search_dirs=[tmp_path], project_fonts=None)
    assert found.body.path == tmp_path / "wqy-microhei.ttc"
    assert found.body.display_name == "文泉驿微米黑"
    assert found.substitutions == ("仿宋 → 文泉驿微米黑", "黑体 → 文泉驿微米黑")
    assert any("simfang.ttf" in s and "CFF" in s for s in found.skipped)


NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO.exists(), reason="fonts-noto-cjk is not installed")
def test_real_noto_cjk_is_cff_and_skipped(tmp_path: Path) -> None:
    with pytest.raises(TTFError, match="postscript outlines are not supported"):
        TTFont("noto", str(NOTO), subfontIndex=2)
    link(NOTO, tmp_path / NOTO.name)
    with pytest.raises(FontNotFoundError, match=r"NotoSerifCJK-Regular\.ttc：PostScript（CFF）"):
        find_fonts(env={}, search_dirs=[tmp_path], project_fonts=None)


def test_roles_prefer_fangsong_for_body_and_hei_for_headings(
    tmp_path: Path, font_file: Path
) -> None:
    # The same glyphs under the file names of a Windows machine's fonts.
    for name in ("wqy-microhei.ttc", "simkai.ttf", "simhei.ttf", "simfang.ttf"):
        link(font_file, tmp_path / name)
    found = find_fonts(env={}, search_dirs=[tmp_path], project_fonts=None)
    assert (found.body.display_name, found.heading.display_name) == ("仿宋", "黑体")
    assert found.substitutions == ()
    assert found.body != found.heading and len(found.faces) == 2


def test_song_before_any_other_face_for_body(tmp_path: Path, font_file: Path) -> None:
    for name in ("wqy-microhei.ttc", "ukai.ttc", "uming.ttc"):
        link(font_file, tmp_path / name)
    found = find_fonts(env={}, search_dirs=[tmp_path], project_fonts=None)
    assert found.body.display_name == "文鼎PL细上海宋"
    assert found.heading.display_name == "文泉驿微米黑"
    assert found.substitutions == ("仿宋 → 文鼎PL细上海宋", "黑体 → 文泉驿微米黑")


def test_project_fonts_folder_and_unknown_file_names(tmp_path: Path, font_file: Path) -> None:
    project = tmp_path / "resources-fonts"
    project.mkdir()
    link(font_file, project / "MyCourtFont.ttc")
    found = find_fonts(env={}, search_dirs=[], project_fonts=project)
    assert found.body.path == project / "MyCourtFont.ttc"
    own_name = fonts._peek(font_file)[0].display_name  # the font's own (Chinese) name
    assert found.body.display_name == own_name != "MyCourtFont"


def test_casedesk_font_env_chooses_the_body_font(tmp_path: Path, font_file: Path) -> None:
    chosen = link(font_file, tmp_path / "chosen.ttc")
    other = tmp_path / "system"
    other.mkdir()
    link(font_file, other / "simhei.ttf")
    env = {"CASEDESK_FONT": f"{chosen}#0"}
    found = find_fonts(env=env, search_dirs=[other], project_fonts=None)
    assert found.body.path == chosen and found.heading.display_name == "黑体"
    assert found.warnings == ()
    # a file that is also one of the system's fonts; a folder is searched first
    kai = link(font_file, other / "simkai.ttf")
    found = find_fonts(env={"CASEDESK_FONT": str(kai)}, search_dirs=[other], project_fonts=None)
    assert (found.body.display_name, found.heading.display_name) == ("楷体", "黑体")
    found = find_fonts(env={"CASEDESK_FONT": str(tmp_path)}, search_dirs=[], project_fonts=None)
    assert found.body.path == chosen


def test_casedesk_font_env_unusable_falls_back_with_a_warning(
    tmp_path: Path, font_file: Path
) -> None:
    link(font_file, tmp_path / "wqy-microhei.ttc")
    env = {"CASEDESK_FONT": str(tmp_path / "missing.ttf")}
    found = find_fonts(env=env, search_dirs=[tmp_path], project_fonts=None)
    assert found.body.display_name == "文泉驿微米黑"
    assert any("CASEDESK_FONT" in w and "missing.ttf" in w for w in found.warnings)
    env = {"CASEDESK_FONT": str(cff_font(tmp_path / "cff.otf"))}
    found = find_fonts(env=env, search_dirs=[tmp_path], project_fonts=None)
    assert any("cff.otf" in w for w in found.warnings)


def test_missing_glyphs_uses_the_cmap() -> None:
    face = registered_fonts().body
    assert missing_glyphs("今日期限一览（2026）新0102民初1号\n", face) == set()
    assert missing_glyphs(f"张{UNSHOWABLE}某", face) == {UNSHOWABLE}
    assert missing_glyphs(f"a{UNSHOWABLE}", face.name) == {UNSHOWABLE}  # by registered name
