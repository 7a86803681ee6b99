"""PDF through LibreOffice, and a look at the pages: the bulletin and the ledger are converted,
rasterised with pdftoppm and checked to have pages with ink on them. Skipped (with the reason)
where LibreOffice or poppler is not installed; scripts/test.sh installs both."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from eduplan.errors import EduplanError
from eduplan.reports import pdf
from eduplan.reports.bulletin.document import write_bulletin
from eduplan.reports.bulletin.facts import bulletin_facts
from eduplan.reports.ledger.build import write_ledger
from eduplan.tracking.models import Task
from tests.world import TODAY

needs_tools = pytest.mark.skipif(pdf.libreoffice_path() is None or shutil.which("pdftoppm") is None,
                                 reason="LibreOffice (soffice) or pdftoppm not installed; scripts/test.sh installs "
                                        "libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils")


def png_gray_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and grey levels of an 8-bit grey or RGB PNG, as pdftoppm writes them."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, *_ = header
    assert depth == 8 and colour in (0, 2), "expected an 8-bit grey or RGB PNG"
    bpp = 1 if colour == 0 else 3
    stride = width * bpp
    raw = zlib.decompress(b"".join(chunks))
    pixels, previous = bytearray(), bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):  # undo the PNG filter of the row
            left = line[i - bpp] if i >= bpp else 0
            up, upper_left = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upper_left)) & 0xFF
        pixels += line if bpp == 1 else bytes(sum(line[i:i + 3]) // 3 for i in range(0, stride, 3))
        previous = line
    return width, height, bytes(pixels)


def render(pdf_path: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "30", str(pdf_path), str(out / "page")], check=True,
                   timeout=120)
    return sorted(out.glob("page*.png"))


def ink(png: Path) -> float:
    """Share of pixels darker than light grey."""
    _, _, pixels = png_gray_pixels(png)
    return sum(1 for p in pixels if p < 200) / len(pixels)


@needs_tools
def test_the_bulletin_renders_to_pdf_pages_with_text(reported, tmp_path):
    facts = bulletin_facts(Task.objects.filter(plan=reported.plan), today=TODAY, period="2025-06")
    docx = tmp_path / "bulletin.docx"
    write_bulletin(facts, docx, title="关于澜江市青禾区2025年教育工作要点落实情况的督查通报",
                   issuer="澜江市青禾区教育局办公室", number="第1期")
    result = pdf.to_pdf(docx, tmp_path / "out")
    assert result.name == "bulletin.pdf" and result.read_bytes()[:5] == b"%PDF-"
    pages = render(result, tmp_path)
    assert len(pages) >= 3  # body pages and the two attachments
    for page in pages:
        assert 0.002 < ink(page) < 0.5, page.name


@needs_tools
def test_the_ledger_renders_to_pdf(reported, tmp_path):
    xlsx = tmp_path / "ledger.xlsx"
    write_ledger(Task.objects.filter(plan=reported.plan), xlsx, today=TODAY)
    pages = render(pdf.to_pdf(xlsx, tmp_path), tmp_path)
    assert len(pages) >= 1
    assert ink(pages[0]) > 0.002


@needs_tools
def test_a_file_libreoffice_cannot_read_is_a_clear_error(tmp_path):
    with pytest.raises(EduplanError) as error:
        pdf.to_pdf(tmp_path / "missing.docx", tmp_path)
    assert error.value.code == "E631"
    assert "missing.docx" in str(error.value)


def test_without_libreoffice_the_error_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: None)
    with pytest.raises(EduplanError) as error:
        pdf.to_pdf(tmp_path / "x.docx", tmp_path)
    assert error.value.code == "E630"
    assert "服务器未安装 LibreOffice" in str(error.value)


def test_a_hanging_conversion_times_out(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: fake)
    with pytest.raises(EduplanError) as error:
        pdf.to_pdf(tmp_path / "x.docx", tmp_path, timeout=1)
    assert error.value.code == "E632"


def test_the_font_map_keeps_the_system_configuration():
    xml = pdf.fontconfig_xml()
    assert xml.index("/etc/fonts/fonts.conf") < xml.index("仿宋_GB2312")
    assert "<string>Noto Serif CJK SC</string>" in xml
