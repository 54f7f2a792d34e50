"""The faces of a suggestion document's PDF, by role, found and registered once per process.

Body text (仿宋) and headings (黑体) come from :func:`casedesk.export.fonts.registered_fonts`,
with its fallbacks and substitutions. The document also asks for 楷体 (（一） headings),
小标宋 (the title) and 宋体 (page numbers); these are looked for in the same places
(``CASEDESK_FONT`` folder, the project's ``resources/fonts/``, the system's fonts) and, when the
machine has none, fall back: 楷体 and 宋体 to the body face, 小标宋 to a 宋体 face, else the
heading face. Every face that is not the one asked for is reported ("楷体 → 文泉驿微米黑").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from casedesk.export import fonts
from casedesk.export.document_layout import (
    BODY_FONT,
    HEADING_FONT,
    PAGE_NUMBER_FONT,
    SUBHEADING_FONT,
    TITLE_FONT,
)
from casedesk.export.fonts import KAI, SONG, FontFace

XIAOBIAOSONG = "小标宋"

#: Files the shared font search does not know by name (fonts installed by hand on office PCs).
_EXTRA_KNOWN = (
    fonts.KnownFile("fzxbsjw.ttf", 0, "方正小标宋简体", XIAOBIAOSONG),
    fonts.KnownFile("方正小标宋简体.ttf", 0, "方正小标宋简体", XIAOBIAOSONG),
    fonts.KnownFile("fzxbsk.ttf", 0, "方正小标宋_GBK", XIAOBIAOSONG),
    fonts.KnownFile("方正小标宋_gbk.ttf", 0, "方正小标宋_GBK", XIAOBIAOSONG),
    fonts.KnownFile("楷体_gb2312.ttf", 0, "楷体_GB2312", KAI),
    fonts.KnownFile("kt_gb2312.ttf", 0, "楷体_GB2312", KAI),
)

#: role -> (the face asked for, styles accepted in order); body and heading: fonts.ROLES.
EXTRA_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    SUBHEADING_FONT: (KAI, (KAI,)),
    TITLE_FONT: (XIAOBIAOSONG, (XIAOBIAOSONG, SONG)),
    PAGE_NUMBER_FONT: (SONG, (SONG,)),
}
ASKED = {
    BODY_FONT: fonts.ROLES["body"][0],
    HEADING_FONT: fonts.ROLES["heading"][0],
    **{role: asked for role, (asked, _styles) in EXTRA_ROLES.items()},
}


@dataclass(frozen=True)
class DocumentFonts:
    """A face for each role of :mod:`casedesk.export.document_layout`."""

    faces: dict[str, FontFace]
    warnings: tuple[str, ...] = ()

    def face(self, role: str) -> FontFace:
        return self.faces[role]

    def substitutions(self, roles: Iterable[str] | None = None) -> tuple[str, ...]:
        """ "仿宋 → 文泉驿微米黑" for each role (all, or those given) not in the face asked for."""
        out: list[str] = []
        for role in roles if roles is not None else self.faces:
            face = self.faces[role]
            asked = ASKED[role]
            if asked not in face.display_name:
                text = f"{asked} → {face.display_name}"
                if text not in out:
                    out.append(text)
        return tuple(out)

    def is_asked_face(self, role: str) -> bool:
        return ASKED[role] in self.faces[role].display_name


_lock = threading.Lock()
_cached: DocumentFonts | None = None


def document_fonts() -> DocumentFonts:
    """The process's document faces, found and registered with reportlab on first use.

    Raises ``FontNotFoundError`` (from :func:`fonts.registered_fonts`) when the machine has no
    embeddable Chinese font at all.
    """
    global _cached
    base = fonts.registered_fonts()
    with _lock:
        if _cached is None:
            faces = {BODY_FONT: base.body, HEADING_FONT: base.heading}
            found = _find_extra()
            fallback = {
                SUBHEADING_FONT: base.body,
                PAGE_NUMBER_FONT: base.body,
                TITLE_FONT: base.heading,
            }
            loaded = {(f.path, f.subfont): f for f in base.faces}
            registered = set(pdfmetrics.getRegisteredFontNames())
            for role in EXTRA_ROLES:
                face = found.get(role)
                if face is None:
                    faces[role] = fallback[role]
                    continue
                # the same file as another role: one registered font, not two copies
                face = loaded.setdefault((face.path, face.subfont), face)
                if face.name not in registered:
                    pdfmetrics.registerFont(face.ttf)
                    registered.add(face.name)
                faces[role] = face
            _cached = DocumentFonts(faces=faces, warnings=base.warnings)
        return _cached


def _find_extra() -> dict[str, FontFace]:
    """Faces for the extra roles, only of the styles asked for (no "any font" fallback)."""
    search = fonts.FontSearch()
    chosen = (os.environ.get(fonts.ENV_VAR) or "").strip()
    if chosen and Path(chosen).is_dir():
        search.add_folder(Path(chosen))
    search.add_folder(fonts.PROJECT_FONTS)
    index = fonts.index_fonts(fonts.system_font_dirs())
    for known in _EXTRA_KNOWN:
        path = index.get(known.file)
        if path is not None:
            search._add_file(path, known.subfont, known=known)
    search.add_known(index)
    found: dict[str, FontFace] = {}
    for role, (_asked, styles) in EXTRA_ROLES.items():
        for style in styles:
            face = next(
                (
                    f
                    for c in search.candidates
                    if c.style == style and (f := search._load(c)) is not None
                ),
                None,
            )
            if face is not None:
                found[role] = face
                break
    return found
