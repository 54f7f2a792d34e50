#!/bin/sh
# Installs what a fresh Debian/Ubuntu machine lacks for CaseDesk, when run as root; otherwise
# prints the exact command to run. Usage: system-deps.sh run|test
set -u
profile=${1:-run}

# Qt 6 (PySide6) needs these on a bare system, even headless (offscreen).
qt_core="libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3"
# A real window (xcb platform plugin).
qt_xcb="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1"
# Chinese text: without a CJK font every character is a box. Noto CJK is the UI's font, but it
# has CFF outlines, which reportlab cannot embed; PDF export embeds WenQuanYi Micro Hei (a
# TrueType, 1.6 MB), which the PDF tests need too.
cjk_font="fonts-noto-cjk"
pdf_font="fonts-wqy-microhei"
# Official documents (建议书) read closer to the 仿宋/楷体 layout with a Song and a Kai face that
# reportlab can embed (Arphic Public License): body and title in 文鼎PL细上海宋, （一） headings in
# 文鼎PL中楷; 黑体 headings stay 文泉驿微米黑. Windows' own 仿宋/楷体/黑体 win when present.
doc_fonts="fonts-arphic-uming fonts-arphic-ukai"

case "$profile" in
  run)  wanted="$qt_core $qt_xcb $cjk_font $pdf_font $doc_fonts" ;;
  test) wanted="$qt_core $pdf_font" ;;  # offscreen UI tests read text; PDF tests embed the font
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  exit 0  # not Debian/Ubuntu: see README for other systems
fi

missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $pkg" ;; esac
done
# python3 -m venv needs ensurepip (Debian ships it in python3-venv).
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  missing="$missing python3-venv"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "正在安装系统依赖：$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit $?
fi
echo "缺少系统依赖，请先运行：" >&2
echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
