"""Office files to PDF with LibreOffice, when the server has it.

``to_pdf`` runs ``soffice --headless --convert-to pdf`` with a fresh, throw-away user
profile (LibreOffice refuses to run twice on one profile, and a web server's requests may
overlap) and a time limit. It also hands LibreOffice a fontconfig file that maps the
official-document fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) to similar fonts a Linux
server tends to have (Noto Serif/Sans CJK, AR PL, WenQuanYi) when the real ones are not
installed, so a PDF made on the server keeps serif body text and sans-serif headings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from eduplan.errors import EduplanError, Errors

TIMEOUT_SECONDS = 120
_CANDIDATES = (
    "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
    "/usr/local/bin/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

# Official fonts → stand-ins, best first; fontconfig takes the first one installed.
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "SimSun", "宋体")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei")
KAI = ("AR PL UKai CN", "KaiTi", "楷体", *SERIF)
FONT_STAND_INS: dict[str, tuple[tuple[str, ...], bool]] = {  # family → (stand-ins, embolden)
    "仿宋_GB2312": (("FangSong", "仿宋", *SERIF), False),
    "仿宋": (("FangSong", *SERIF), False),
    "方正小标宋简体": (("FZXiaoBiaoSong-B05S", *SERIF), True),
    "黑体": (("SimHei", *SANS), False),
    "楷体_GB2312": (("KaiTi", "楷体", *KAI), False),
    # SimSun's Latin letters and digits are half an em wide, as in this monospaced stand-in;
    # spreadsheets measure their columns in these digits.
    "宋体": (("SimSun", "Noto Sans Mono CJK SC", *SERIF), False),
}


def libreoffice_path() -> Path | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in _CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def fontconfig_xml() -> str:
    """A fonts.conf: the system's configuration plus the stand-ins above."""
    rules = []
    for family, (stand_ins, bold) in FONT_STAND_INS.items():
        prefer = "".join(f"<string>{escape(name)}</string>" for name in stand_ins)
        rules.append(f'<match target="pattern"><test name="family"><string>{escape(family)}</string></test>'
                     f'<edit name="family" mode="prepend" binding="strong">{prefer}</edit>'
                     + ('<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else "")
                     + "</match>")
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + "\n".join(rules) + "\n</fontconfig>\n")


def to_pdf(source: str | Path, out_dir: str | Path, *, timeout: int = TIMEOUT_SECONDS) -> Path:
    """Convert a .docx or .xlsx file to PDF in ``out_dir``; returns the PDF's path."""
    soffice = libreoffice_path()
    if soffice is None:
        raise EduplanError(Errors.E630)
    source, out_dir = Path(source).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / (source.stem + ".pdf")
    target.unlink(missing_ok=True)  # LibreOffice exits 0 even when it fails: only a new file counts
    with tempfile.TemporaryDirectory(prefix="eduplan-lo-") as profile:
        fonts = Path(profile) / "fonts.conf"
        fonts.write_text(fontconfig_xml(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": profile}
        command = [str(soffice), f"-env:UserInstallation={Path(profile).as_uri()}/user", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), str(source)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise EduplanError(Errors.E632, seconds=timeout, path=source.name) from None
        except OSError as exc:
            raise EduplanError(Errors.E631, path=source.name, reason=exc.strerror or exc) from exc
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        reason = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
        raise EduplanError(Errors.E631, path=source.name,
                           reason=(reason[-1] if reason else f"exit {result.returncode}")[:200])
    return target
