"""Chinese fonts for PDF export: found on the user's machine, embedded, registered once.

reportlab embeds only TrueType fonts with ``glyf`` outlines. Fonts with PostScript (CFF)
outlines, which includes every Noto CJK / Source Han font, raise ``TTFError: postscript
outlines are not supported`` and are skipped. The non-embedded ``UnicodeCIDFont('STSong-Light')``
is never used: its look depends on the viewer and poppler draws nothing without poppler-data.

Where fonts are looked for, in this order:

1. ``CASEDESK_FONT``: a font file an administrator chose (``x.ttc#1`` picks subfont 1), or a
   folder of fonts. A chosen file is used for body text whatever its style.
2. ``resources/fonts/`` of the project.
3. Fonts the machine already has, by file name: Windows (``%WINDIR%\\Fonts`` and the per-user
   font folder: 仿宋 simfang.ttf, 宋体 simsun.ttc, 黑体 simhei.ttf, 楷体 simkai.ttf, 微软雅黑
   msyh.ttc), 统信UOS/麒麟 (CESI fonts), Debian/Ubuntu (``/usr/share/fonts``:
   fonts-arphic-uming, fonts-arphic-gbsn00lp, fonts-wqy-microhei, fonts-wqy-zenhei,
   fonts-arphic-ukai, fonts-arphic-gkai00mp) and the user's own font folders.
4. Only when none of these is usable: any other TrueType font in those folders whose OS/2
   table says it covers Chinese.

Each role asks for a face: body text 仿宋 (else a 宋体 face, else any usable font), headings
黑体 (else any). A face that is not the one asked for is reported as a substitution, e.g.
"仿宋 → 文泉驿微米黑". A font is usable when reportlab loads it and it has glyphs for a sample
of simplified characters (cwTeX 仿宋, for example, is Traditional-only and is skipped).
"""

from __future__ import annotations

import os
import re
import struct
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from casedesk.export.output import ExportError

FANGSONG, SONG, HEI, KAI = "仿宋", "宋体", "黑体", "楷体"

#: role -> (the face asked for, styles accepted before falling back to any usable font)
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "body": (FANGSONG, (FANGSONG, SONG)),
    "heading": (HEI, (HEI,)),
}

ENV_VAR = "CASEDESK_FONT"
PROJECT_FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
INSTALL_HINT_DEBIAN = "sudo apt-get install fonts-wqy-microhei"

#: Simplified characters every usable font must have (Traditional-only cwTeX 仿宋 lacks 书冻议结检).
PROBE = (
    "今日期限一览已逾期届满案号承办人当事人第页共打印时间书冻议结检这们发关经过0123456789（）：、　"
)

_FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
_MAX_SUBFONTS = 16


@dataclass(frozen=True)
class KnownFile:
    """A font file known by name: which subfont, the face's name as shown, its style."""

    file: str  # lower-case file name
    subfont: int
    display_name: str
    style: str


# Order matters only between fonts of the same style (and for the "any font" fallback).
_KNOWN: tuple[KnownFile, ...] = (
    # Windows (%WINDIR%\Fonts); 仿宋_GB2312 is often installed by hand on government machines.
    KnownFile("simfang.ttf", 0, "仿宋", FANGSONG),
    KnownFile("仿宋_gb2312.ttf", 0, "仿宋_GB2312", FANGSONG),
    KnownFile("fs_gb2312.ttf", 0, "仿宋_GB2312", FANGSONG),
    KnownFile("simsun.ttc", 0, "宋体", SONG),
    KnownFile("simhei.ttf", 0, "黑体", HEI),
    KnownFile("simkai.ttf", 0, "楷体", KAI),
    KnownFile("msyh.ttc", 0, "微软雅黑", HEI),
    KnownFile("msyh.ttf", 0, "微软雅黑", HEI),
    # 统信UOS / 麒麟 (CESI fonts of the China Electronics Standardization Institute).
    KnownFile("cesi_fs_gb18030.ttf", 0, "CESI仿宋", FANGSONG),
    KnownFile("cesi_fs_gb2312.ttf", 0, "CESI仿宋", FANGSONG),
    KnownFile("cesi_ss_gb18030.ttf", 0, "CESI宋体", SONG),
    KnownFile("cesi_ss_gb2312.ttf", 0, "CESI宋体", SONG),
    KnownFile("cesi_ht_gb18030.ttf", 0, "CESI黑体", HEI),
    KnownFile("cesi_ht_gb2312.ttf", 0, "CESI黑体", HEI),
    KnownFile("cesi_kt_gb18030.ttf", 0, "CESI楷体", KAI),
    KnownFile("cesi_kt_gb2312.ttf", 0, "CESI楷体", KAI),
    # Debian / Ubuntu / 统信UOS / 麒麟 packages (/usr/share/fonts/truetype/...).
    KnownFile("uming.ttc", 0, "文鼎PL细上海宋", SONG),  # fonts-arphic-uming
    KnownFile("gbsn00lp.ttf", 0, "文鼎PL报宋", SONG),  # fonts-arphic-gbsn00lp
    KnownFile("wqy-microhei.ttc", 0, "文泉驿微米黑", HEI),  # fonts-wqy-microhei
    KnownFile("wqy-zenhei.ttc", 0, "文泉驿正黑", HEI),  # fonts-wqy-zenhei
    KnownFile("ukai.ttc", 0, "文鼎PL中楷", KAI),  # fonts-arphic-ukai
    KnownFile("gkai00mp.ttf", 0, "文鼎PL简中楷", KAI),  # fonts-arphic-gkai00mp
)
_KNOWN_BY_FILE = {k.file: k for k in _KNOWN}


class FontNotFoundError(ExportError):
    """No embeddable Chinese font: the message says what to install."""


class MissingGlyphsError(ExportError):
    """Text contains characters the chosen font cannot show."""

    def __init__(self, message: str, chars: Iterable[str]) -> None:
        super().__init__(message)
        self.chars = frozenset(chars)


@dataclass(frozen=True)
class FontFace:
    """One loaded TrueType face; ``name`` is the reportlab font name once registered."""

    name: str
    display_name: str  # 仿宋, 文泉驿微米黑 …
    style: str  # FANGSONG, SONG, HEI, KAI or "" when unknown
    path: Path
    ttf: TTFont = field(compare=False, repr=False)
    subfont: int = 0


@dataclass(frozen=True)
class FontSet:
    """The faces chosen for each role, and what the user should know about the choice."""

    body: FontFace
    heading: FontFace
    substitutions: tuple[str, ...] = ()  # "仿宋 → 文泉驿微米黑"
    skipped: tuple[str, ...] = ()  # "NotoSansCJK-Regular.ttc：PostScript（CFF）轮廓 …"
    warnings: tuple[str, ...] = ()  # e.g. an unusable CASEDESK_FONT

    @property
    def faces(self) -> tuple[FontFace, ...]:
        return (self.body,) if self.heading == self.body else (self.body, self.heading)


# --- the one registration per process ------------------------------------------------------

_lock = threading.Lock()
_registered: FontSet | None = None


def registered_fonts() -> FontSet:
    """The process's fonts, found and registered with reportlab on first use.

    A failed search is not cached: after the user installs a font, the next export finds it.
    Raises ``FontNotFoundError`` when the machine has no embeddable Chinese font.
    """
    global _registered
    with _lock:
        if _registered is None:
            fonts = find_fonts()
            for face in fonts.faces:
                pdfmetrics.registerFont(face.ttf)
            _registered = fonts
        return _registered


def missing_glyphs(text: str, font: FontFace | TTFont | str) -> set[str]:
    """The characters of ``text`` that ``font`` has no glyph for (control characters ignored).

    ``font`` is a ``FontFace``, a reportlab ``TTFont`` or the name of a registered one.
    """
    ttf = _as_ttf(font)
    cmap = ttf.face.charToGlyph
    return {
        ch
        for ch in set(text)
        if ord(ch) not in cmap and ch != "\xa0" and unicodedata.category(ch) != "Cc"
    }


def _as_ttf(font: FontFace | TTFont | str) -> TTFont:
    if isinstance(font, FontFace):
        return font.ttf
    if isinstance(font, str):
        font = pdfmetrics.getFont(font)
    if not isinstance(font, TTFont):
        raise TypeError(f"{font!r} is not a TrueType font")
    return font


# --- the search --------------------------------------------------------------------------


def system_font_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Folders where Windows and Linux (Debian, Ubuntu, 统信UOS, 麒麟) keep fonts."""
    env = os.environ if env is None else env
    dirs: list[Path] = []
    windir = env.get("WINDIR") or env.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    elif os.name == "nt":
        dirs.append(Path("C:/Windows/Fonts"))
    if env.get("LOCALAPPDATA"):
        dirs.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    home = Path(env["HOME"]) if env.get("HOME") else None
    if home is not None:
        dirs += [home / ".local" / "share" / "fonts", home / ".fonts"]
    return dirs


def find_fonts(
    *,
    env: Mapping[str, str] | None = None,
    search_dirs: Sequence[Path] | None = None,
    project_fonts: Path | None = PROJECT_FONTS,
) -> FontSet:
    """Choose and load (but not register) a face for every role.

    ``search_dirs`` replaces the system font folders and ``env`` the process environment
    (tests use both). Raises ``FontNotFoundError`` when no usable font exists.
    """
    env = os.environ if env is None else env
    dirs = system_font_dirs(env) if search_dirs is None else list(search_dirs)
    search = FontSearch()

    forced = None
    chosen = (env.get(ENV_VAR) or "").strip()
    if chosen:
        forced = search.add_chosen(chosen)
    if project_fonts is not None:
        search.add_folder(project_fonts)
    index = index_fonts(dirs)
    search.add_known(index)
    if forced is not None:  # for other roles the chosen file comes after the system's fonts
        search.candidates.remove(forced)
        search.candidates.append(forced)

    faces = search.resolve(forced)
    if faces is None:  # nothing known is usable: look at every font file
        search.add_any(index)
        faces = search.resolve(forced)
    if faces is None:
        raise FontNotFoundError(_not_found_message(search.skipped, dirs))

    substitutions = tuple(
        f"{ROLES[role][0]} → {face.display_name}"
        for role, face in faces.items()
        if face.display_name != ROLES[role][0]
    )
    return FontSet(
        body=faces["body"],
        heading=faces["heading"],
        substitutions=substitutions,
        skipped=tuple(search.skipped),
        warnings=tuple(search.warnings),
    )


def _not_found_message(skipped: Sequence[str], dirs: Sequence[Path]) -> str:
    lines = [
        "未找到可嵌入 PDF 的中文字体，无法生成 PDF（否则文件中的汉字会显示为方框）。",
        "请安装一种 TrueType 中文字体后重试：",
        f"  Debian / Ubuntu / 统信UOS / 麒麟：{INSTALL_HINT_DEBIAN}",
        "  Windows：系统自带的仿宋、宋体、黑体即可，请检查 C:\\Windows\\Fonts 中"
        "是否有 simfang.ttf、simsun.ttc 或 simhei.ttf",
        f"也可由管理员把 .ttf / .ttc 字体文件放入 {PROJECT_FONTS}，"
        f"或用环境变量 {ENV_VAR} 指定字体文件。",
        "注意：Noto CJK、思源等 OpenType（CFF）字体无法嵌入。",
        "已查找：" + "、".join(str(d) for d in dirs),
    ]
    if skipped:
        lines.append("已跳过：")
        lines += [f"  {reason}" for reason in skipped]
    return "\n".join(lines)


@dataclass
class _Candidate:
    path: Path
    subfont: int
    display_name: str
    style: str
    face: FontFace | None = None
    failed: bool = False


class FontSearch:
    """Candidates in search order; each is loaded at most once, and only when a role needs it."""

    def __init__(self) -> None:
        self.candidates: list[_Candidate] = []
        self.skipped: list[str] = []
        self.warnings: list[str] = []
        self._seen: set[tuple[Path, int]] = set()
        self._rejected_files: set[Path] = set()

    # adding candidates

    def add_chosen(self, value: str) -> _Candidate | None:
        """The administrator's ``CASEDESK_FONT``: a folder is searched first, a file becomes
        the body font (see ``resolve``)."""
        path, subfont = Path(value), 0
        match = re.fullmatch(r"(.+)#(\d+)", value)
        if match and not path.exists():
            path, subfont = Path(match.group(1)), int(match.group(2))
        if path.is_dir():
            self.add_folder(path)
            return None
        if not path.is_file():
            self.warn(f"{ENV_VAR} 指定的字体文件不存在：{path}，已改用其他字体")
            return None
        known = _KNOWN_BY_FILE.get(path.name.lower())
        self._add_file(path, subfont, known=known, require_cjk=False)
        chosen = next((c for c in self.candidates if c.path == path and c.subfont == subfont), None)
        if chosen is None:
            self.warn(f"{ENV_VAR} 指定的字体不可用（{path.name}），已改用其他字体")
        return chosen

    def add_folder(self, folder: Path) -> None:
        for path in sorted(_font_files(folder)):
            self._add_file(path, None, known=_KNOWN_BY_FILE.get(path.name.lower()))

    def add_known(self, index: Mapping[str, Path]) -> None:
        for known in _KNOWN:
            path = index.get(known.file)
            if path is not None:
                self._add_file(path, known.subfont, known=known)

    def add_any(self, index: Mapping[str, Path]) -> None:
        for name, path in index.items():
            if name not in _KNOWN_BY_FILE:
                self._add_file(path, None, known=None)

    def _add_file(
        self, path: Path, subfont: int | None, known: KnownFile | None, require_cjk: bool = True
    ) -> list[_Candidate]:
        try:
            infos = _peek(path)
        except (OSError, struct.error, ValueError):
            self._reject(path, "不是有效的字体文件")
            return []
        added = []
        for info in infos:
            if subfont is not None and info.index != subfont:
                continue
            if (path, info.index) in self._seen:
                continue
            if known is None and require_cjk and not info.cjk:
                continue  # a Latin-only font: not a candidate, not worth a mention
            if not info.truetype:
                self._reject(path, "PostScript（CFF）轮廓，reportlab 无法嵌入")
                continue
            if known is not None and info.index == known.subfont:
                display, style = known.display_name, known.style
            else:
                display = info.display_name or path.stem
                style = _style_of(info.names)
            self._seen.add((path, info.index))
            candidate = _Candidate(path, info.index, display, style)
            self.candidates.append(candidate)
            added.append(candidate)
        return added

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def _reject(self, path: Path, reason: str) -> None:
        if path not in self._rejected_files:
            self._rejected_files.add(path)
            self.skipped.append(f"{path}：{reason}")

    # choosing

    def resolve(self, forced: _Candidate | None) -> dict[str, FontFace] | None:
        faces: dict[str, FontFace] = {}
        for role, (_asked, styles) in ROLES.items():
            face = None
            if role == "body" and forced is not None:
                face = self._load(forced)
                if face is None:
                    self.warn(f"{ENV_VAR} 指定的字体不可用（{forced.path.name}），已改用其他字体")
            if face is None:
                face = self._pick(styles)
            if face is None:
                return None
            faces[role] = face
        return faces

    def _pick(self, styles: Sequence[str]) -> FontFace | None:
        for style in styles:
            for candidate in self.candidates:
                if candidate.style == style and (face := self._load(candidate)):
                    return face
        for candidate in self.candidates:
            if face := self._load(candidate):
                return face
        return None

    def _load(self, candidate: _Candidate) -> FontFace | None:
        if candidate.face is not None or candidate.failed:
            return candidate.face
        stem = re.sub(r"[^A-Za-z0-9]+", "", candidate.path.stem) or "font"
        name = f"CaseDesk-{stem}-{candidate.subfont}"
        try:
            ttf = TTFont(name, str(candidate.path), subfontIndex=candidate.subfont)
        except TTFError as exc:
            candidate.failed = True
            reason = str(exc)
            if "postscript outlines" in reason.lower():
                reason = "PostScript（CFF）轮廓，reportlab 无法嵌入"
            self._reject(candidate.path, reason)
            return None
        except (OSError, ValueError, struct.error, IndexError, KeyError) as exc:
            candidate.failed = True
            self._reject(candidate.path, f"无法读取（{exc}）")
            return None
        absent = [ch for ch in PROBE if ord(ch) not in ttf.face.charToGlyph]
        if absent:
            candidate.failed = True
            self._reject(candidate.path, f"缺少常用简体字（{''.join(absent[:8])}）")
            return None
        candidate.face = FontFace(
            name=name,
            display_name=candidate.display_name,
            style=candidate.style,
            path=candidate.path,
            subfont=candidate.subfont,
            ttf=ttf,
        )
        return candidate.face


def _font_files(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(_FONT_SUFFIXES):
                yield Path(root) / name


def index_fonts(dirs: Sequence[Path]) -> dict[str, Path]:
    """Font files by lower-case file name, the first folder winning."""
    index: dict[str, Path] = {}
    for folder in dirs:
        for path in sorted(_font_files(folder)):
            index.setdefault(path.name.lower(), path)
    return index


def _style_of(names: Sequence[str]) -> str:
    text = " ".join(names).lower()
    if "仿宋" in text or "fangsong" in text or "fang song" in text or "_fs_" in text:
        return FANGSONG
    if "楷" in text or "kai" in text:
        return KAI
    if any(w in text for w in ("宋", "song", "sun", "ming", "sung", "明")):
        return SONG
    if any(w in text for w in ("黑", "hei", "gothic", "sans")):
        return HEI
    return ""


# --- a cheap look into a font file (header, name and OS/2 tables only) ----------------------


@dataclass(frozen=True)
class _SfntInfo:
    index: int
    truetype: bool  # TrueType (glyf) outlines, which reportlab can embed
    cjk: bool  # the OS/2 table claims CJK ideographs or the GB2312 code page
    names: tuple[str, ...]  # family names, Simplified Chinese first

    @property
    def display_name(self) -> str:
        return self.names[0] if self.names else ""


def _peek(path: Path) -> list[_SfntInfo]:
    with path.open("rb") as fh:
        head = fh.read(12)
        if len(head) < 12:
            raise ValueError("too short")
        if head[:4] == b"ttcf":
            (count,) = struct.unpack(">I", head[8:12])
            count = min(count, _MAX_SUBFONTS)
            offsets = struct.unpack(f">{count}I", fh.read(4 * count))
        else:
            offsets = (0,)
        return [_peek_sfnt(fh, i, offset) for i, offset in enumerate(offsets)]


def _peek_sfnt(fh: BinaryIO, index: int, offset: int) -> _SfntInfo:
    fh.seek(offset)
    version, num_tables = struct.unpack(">4sH", fh.read(6))
    if version not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        raise ValueError("not an sfnt")
    fh.read(6)
    tables = {}
    for _ in range(num_tables):
        tag, _checksum, start, length = struct.unpack(">4sIII", fh.read(16))
        tables[tag] = (start, length)
    truetype = version != b"OTTO" and b"glyf" in tables and b"CFF " not in tables
    return _SfntInfo(
        index=index,
        truetype=truetype,
        cjk=_os2_cjk(fh, tables.get(b"OS/2")),
        names=_family_names(fh, tables.get(b"name")),
    )


def _os2_cjk(fh: BinaryIO, where: tuple[int, int] | None) -> bool:
    if where is None or where[1] < 86:
        return False
    fh.seek(where[0])
    data = fh.read(86)
    (unicode_range2,) = struct.unpack(">I", data[46:50])
    (code_pages1,) = struct.unpack(">I", data[78:82])
    return bool(unicode_range2 & (1 << 27)) or bool(code_pages1 & (1 << 18))


def _family_names(fh: BinaryIO, where: tuple[int, int] | None) -> tuple[str, ...]:
    if where is None or where[1] > 2_000_000:
        return ()
    fh.seek(where[0])
    data = fh.read(where[1])
    _fmt, count, strings = struct.unpack(">HHH", data[:6])
    found: list[tuple[int, str]] = []
    for i in range(count):
        record = data[6 + 12 * i : 18 + 12 * i]
        if len(record) < 12:
            break
        platform, encoding, language, name_id, length, start = struct.unpack(">6H", record)
        if name_id not in (1, 16):
            continue
        raw = data[strings + start : strings + start + length]
        if platform == 3 or platform == 0:
            text = raw.decode("utf-16-be", "replace")
        elif platform == 1 and encoding == 0:
            text = raw.decode("mac_roman", "replace")
        else:
            continue
        rank = {0x804: 0, 0x1004: 1, 0x404: 2, 0xC04: 2}.get(
            language, 3 if language == 0x409 else 4
        )
        if platform != 3:
            rank = 5
        found.append((rank, text.strip()))
    names: list[str] = []
    for _rank, text in sorted(found, key=lambda item: item[0]):
        if text and text not in names:
            names.append(text)
    return tuple(names)
