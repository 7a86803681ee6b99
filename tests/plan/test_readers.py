"""Tests for eduplan.plan.readers: every input file is built in tmp_path by the test.

The plan lines are fictional ("青禾区" does not exist).
"""

from __future__ import annotations

import codecs
import io
import os
import socket
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from eduplan.errors import EduplanError
from eduplan.plan import readers
from eduplan.plan.readers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_source

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

PLAN_LINES = [
    "青禾区2025年教育工作要点",
    "一、强化党建引领",
    "（一）加强基层党组织建设。",
    "1.新增学前教育学位600个。",
    "2.改扩建中小学校舍3所，新增学位1200个。",
    "3.实施学前教育普及普惠攻坚行动，普惠性幼儿园覆盖率达到90%以上，公办园在园幼儿占比达到55%。",
    "4.推进中小学“双减”工作走深走实，课后服务实现义务教育学校全覆盖，学生参与率保持在95%以上。",
    "二、推进义务教育优质均衡",
    "（二）深化集团化办学，覆盖率达到85%以上。",
]
PLAN_TEXT = "\n".join(PLAN_LINES) + "\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path, **kwargs: int) -> EduplanError:
    with pytest.raises(EduplanError) as caught:
        read_source(path, **kwargs)
    return caught.value


# ---------------------------------------------------------------- public constants


def test_public_constants() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".docx", ".html", ".htm", ".pdf")
    assert MAX_FILE_BYTES == 64 * 1024 * 1024


# ---------------------------------------------------------------- .txt decoding

TXT_ENCODINGS: list[tuple[str, Callable[[str], bytes]]] = [
    ("utf-8", lambda text: text.encode("utf-8")),
    ("utf-8-bom", lambda text: text.encode("utf-8-sig")),
    ("gb18030", lambda text: text.encode("gb18030")),
    ("gbk", lambda text: text.encode("gbk")),
    ("gb2312", lambda text: text.encode("gb2312")),
    ("utf-16-le-bom", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    ("utf-16-be-bom", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
    ("utf-32-bom", lambda text: text.encode("utf-32")),
    ("utf-16-le-no-bom", lambda text: text.encode("utf-16-le")),
    ("utf-16-be-no-bom", lambda text: text.encode("utf-16-be")),
]


@pytest.mark.parametrize("encode", [e for _, e in TXT_ENCODINGS], ids=[n for n, _ in TXT_ENCODINGS])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_txt_encodings_decode_to_same_text(tmp_path: Path, encode: Callable[[str], bytes], newline: str) -> None:
    path = write(tmp_path, "plan.txt", encode(PLAN_TEXT.replace("\n", newline)))
    assert read_source(path) == PLAN_TEXT


def test_txt_keeps_text_otherwise_untouched(tmp_path: Path) -> None:
    text = "　　一、强化党建引领  \n\n\t1.新增学位600个。\n"  # indentation, blank line, trailing spaces
    assert read_source(write(tmp_path, "plan.txt", text.encode())) == text


def test_txt_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, "PLAN.TXT", PLAN_TEXT.encode("gbk"))) == PLAN_TEXT


def test_txt_accepts_str_path(tmp_path: Path) -> None:
    assert read_source(str(write(tmp_path, "plan.txt", PLAN_TEXT.encode()))) == PLAN_TEXT


# A UTF-8 file with a GBK line pasted in: each part decodes as GB18030 on its own, so only
# the long valid UTF-8 prefix shows the file is damaged UTF-8, not GBK.
MIXED_UTF8_GBK = "全面落实立德树人根本任务\n加强教师队伍建设\n".encode() + "提升学校办学质量\n".encode("gbk")

TXT_ERRORS = [
    # id, file bytes, code, line named in the message (or None)
    ("invalid-in-utf8-and-gb18030", "第一行\n第二行\n坏".encode() + b"\xff\xfe" + "字节\n".encode(), "E104", 3),
    ("invalid-gbk-line-5", ("甲\n" * 4).encode("gbk") + b"\x81\n", "E104", 5),
    ("utf8-bom-then-bad-byte", codecs.BOM_UTF8 + "第一行\n".encode() + b"\xc3\x28\n", "E104", 2),
    ("utf16-bom-odd-length", codecs.BOM_UTF16_LE + "第一行\n第二行".encode("utf-16-le") + b"\x41", "E104", 2),
    ("utf8-with-gbk-line", MIXED_UTF8_GBK, "E104", 3),
    ("zero-bytes", b"", "E102", None),
    ("only-whitespace", b" \r\n\t\n\xe3\x80\x80\n", "E102", None),
    ("only-utf8-bom", codecs.BOM_UTF8, "E102", None),
    ("utf16-bom-and-spaces", "  \n".encode("utf-16"), "E102", None),
    ("png-header-and-nuls", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(64), "E105", None),
    ("nul-in-gbk-text", "一、强化".encode("gbk") + b"\x00\x00\x01\x02" + "党建".encode("gbk"), "E105", None),
]


@pytest.mark.parametrize(("data", "code", "line"), [row[1:] for row in TXT_ERRORS], ids=[row[0] for row in TXT_ERRORS])
def test_txt_errors(tmp_path: Path, data: bytes, code: str, line: int | None) -> None:
    path = write(tmp_path, "plan.txt", data)
    error = read_error(path)
    assert error.code == code
    assert str(path) in str(error)
    if line is not None:
        assert f"第 {line} 行" in str(error) and f"line {line}" in str(error)


def test_mixed_encoding_case_is_meaningful() -> None:
    # Guard for the "utf8-with-gbk-line" row: GB18030 alone would accept these bytes.
    MIXED_UTF8_GBK.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        MIXED_UTF8_GBK.decode("utf-8")


# ---------------------------------------------------------------- path checks


def make_missing(tmp_path: Path) -> Path:
    return tmp_path / "nope.txt"


def make_missing_parent(tmp_path: Path) -> Path:
    return write(tmp_path, "file.txt", b"x") / "child.txt"


def make_directory(tmp_path: Path) -> Path:
    path = tmp_path / "plans.txt"
    path.mkdir()
    return path


def make_fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("os.mkfifo is not available on this platform")
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


PATH_ERRORS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("missing-file", make_missing, "E101"),
    ("parent-is-a-file", make_missing_parent, "E101"),
    ("directory", make_directory, "E110"),
    ("fifo-would-block", make_fifo, "E110"),
    ("unknown-suffix", lambda tmp: write(tmp, "plan.xyz", PLAN_TEXT.encode()), "E103"),
    ("no-suffix", lambda tmp: write(tmp, "plan", PLAN_TEXT.encode()), "E103"),
    ("legacy-doc", lambda tmp: write(tmp, "plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(32)), "E112"),
]


@pytest.mark.parametrize(("make", "code"), [row[1:] for row in PATH_ERRORS], ids=[row[0] for row in PATH_ERRORS])
def test_path_errors(tmp_path: Path, make: Callable[[Path], Path], code: str) -> None:
    path = make(tmp_path)
    error = read_error(path)
    assert error.code == code
    assert str(path) in str(error)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".html", ".pdf"])
def test_oversize_file_is_refused_before_reading(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "plan" + suffix, b"x" * 100)
    error = read_error(path, max_bytes=99)
    assert error.code == "E109"
    assert str(path) in str(error)


def test_file_exactly_at_limit_is_read(tmp_path: Path) -> None:
    data = PLAN_TEXT.encode()
    assert read_source(write(tmp_path, "plan.txt", data), max_bytes=len(data)) == PLAN_TEXT


@pytest.mark.parametrize("suffix", [".docx", ".html", ".htm", ".pdf"])
def test_zero_byte_file_of_any_type_is_empty(tmp_path: Path, suffix: str) -> None:
    assert read_error(write(tmp_path, "plan" + suffix, b"")).code == "E102"


@pytest.mark.slow
def test_fifty_megabyte_text_is_read(tmp_path: Path) -> None:
    line = "1.新增学前教育学位600个，改扩建中小学校舍3所。\r\n"
    data = line.encode() * (50 * 1024 * 1024 // len(line.encode()))
    text = read_source(write(tmp_path, "big.txt", data))
    assert len(text) == len(data.decode()) - data.count(b"\r")
    assert text.startswith(line.replace("\r\n", "\n"))


# ---------------------------------------------------------------- .docx


def build_docx(fill: Callable[[DocxDocument], object]) -> bytes:
    import docx

    document = docx.Document()
    fill(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def fill_plan_with_table(document: DocxDocument) -> None:
    document.add_paragraph("青禾区“十四五”教育发展规划")
    document.add_paragraph("一、主要指标")
    table = document.add_table(rows=3, cols=3)
    rows = [["指标", "2020年", "2025年"], ["学前教育毛入园率(%)", "85", ">90"], ["义务教育巩固率(%)", "95", ""]]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("二、主要任务")
    document.add_paragraph("1.新增学前教育学位600个。")


def fill_merged_cells(document: DocxDocument) -> None:
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "主要指标"  # one cell across the row
    table.cell(1, 0).merge(table.cell(2, 0)).text = "学前教育"  # one cell down two rows
    table.cell(1, 1).text = "毛入园率"
    table.cell(1, 2).text = ">90%"
    table.cell(2, 1).text = "普惠率"
    table.cell(2, 2).text = ">85%"


def fill_cell_with_paragraphs(document: DocxDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "学前教育"
    cell = table.cell(0, 1)
    cell.text = "新增学位600个。"
    cell.add_paragraph("改扩建幼儿园5所。")


def _revision(kind: str, revision_id: str, text_tag: str, text: str):
    """A tracked-change element (w:ins or w:del) holding one run of text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    revision = OxmlElement(kind)
    revision.set(qn("w:id"), revision_id)
    revision.set(qn("w:author"), "审校")
    run = OxmlElement("w:r")
    run_text = OxmlElement(text_tag)
    run_text.text = text
    run.append(run_text)
    revision.append(run)
    return revision


def fill_tracked_changes(document: DocxDocument) -> None:
    paragraph = document.add_paragraph("新增学位")
    paragraph._p.append(_revision("w:ins", "1", "w:t", "600"))
    paragraph._p.append(_revision("w:del", "2", "w:delText", "500"))
    paragraph.add_run("个。")


def fill_line_break_and_tab(document: DocxDocument) -> None:
    paragraph = document.add_paragraph("一、强化党建引领")
    run = paragraph.add_run()
    run.add_break()
    run.add_text("1.\t新增学位600个。")


DOCX_CASES = [
    ("paragraphs-table-paragraphs", fill_plan_with_table, [
        "青禾区“十四五”教育发展规划", "一、主要指标",
        "指标", "2020年", "2025年",
        "学前教育毛入园率(%)", "85", ">90",
        "义务教育巩固率(%)", "95", "",
        "二、主要任务", "1.新增学前教育学位600个。",
    ]),
    ("merged-cells", fill_merged_cells, [
        "主要指标",
        "学前教育", "毛入园率", ">90%",
        "学前教育", "普惠率", ">85%",
    ]),
    ("cell-with-two-paragraphs", fill_cell_with_paragraphs, ["学前教育", "新增学位600个。 改扩建幼儿园5所。"]),
    ("tracked-insert-kept-delete-dropped", fill_tracked_changes, ["新增学位600个。"]),
    ("soft-line-break-and-tab", fill_line_break_and_tab, ["一、强化党建引领", "1.\t新增学位600个。"]),
]


@pytest.mark.parametrize(("fill", "expected"), [row[1:] for row in DOCX_CASES], ids=[row[0] for row in DOCX_CASES])
def test_docx_lines(tmp_path: Path, fill: Callable[[DocxDocument], object], expected: list[str]) -> None:
    path = write(tmp_path, "plan.docx", build_docx(fill))
    assert read_source(path).split("\n") == expected


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_without_document_part() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(build_docx(lambda d: d.add_paragraph("x"))))
    return zip_bytes({i.filename: source.read(i) for i in source.infolist() if i.filename != "word/document.xml"})


def docx_with_broken_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(build_docx(lambda d: d.add_paragraph("x"))))
    files = {i.filename: source.read(i) for i in source.infolist()}
    files["word/document.xml"] = files["word/document.xml"][:-40]
    return zip_bytes(files)


DOCX_ERRORS: list[tuple[str, Callable[[], bytes], str]] = [
    ("zip-but-not-docx", lambda: zip_bytes({"hello.txt": b"hello"}), "E108"),
    ("random-bytes", lambda: bytes(range(256)) * 4, "E108"),
    ("plain-text-renamed", lambda: PLAN_TEXT.encode(), "E108"),
    ("truncated-zip", lambda: build_docx(lambda d: d.add_paragraph("x"))[:300], "E108"),
    ("missing-document-part", docx_without_document_part, "E108"),
    ("broken-document-xml", docx_with_broken_xml, "E108"),
    ("ole2-doc-renamed", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "E108"),
    ("no-text-at-all", lambda: build_docx(lambda d: d.add_paragraph("  ")), "E114"),
]


@pytest.mark.parametrize(("make", "code"), [row[1:] for row in DOCX_ERRORS], ids=[row[0] for row in DOCX_ERRORS])
def test_docx_errors(tmp_path: Path, make: Callable[[], bytes], code: str) -> None:
    path = write(tmp_path, "plan.docx", make())
    error = read_error(path)
    assert error.code == code
    assert str(path) in str(error)


# ---------------------------------------------------------------- .docx automatic numbering
# Word keeps a numbered paragraph's label ("一、", "（一）", "1.") out of the text and computes
# it from w:numPr and word/numbering.xml; these files carry real numbering definitions.

W_XMLNS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# What a paragraph's numbering comes from: nothing, its own w:numPr (numId, ilvl; None leaves
# ilvl out), its style, or its style plus its own w:numPr.
Numbering = None | tuple[int | str, int | str | None] | str | tuple[str, int, int | None]


def lvl(ilvl: int | str, fmt: str, text: str | None, start: int | str | None = 1, extra: str = "") -> str:
    start_xml = "" if start is None else f'<w:start w:val="{start}"/>'
    text_xml = "" if text is None else f'<w:lvlText w:val="{text}"/>'
    return (f'<w:lvl w:ilvl="{ilvl}">{start_xml}<w:numFmt w:val="{fmt}"/>{extra}{text_xml}'
            '<w:lvlJc w:val="left"/></w:lvl>')


def abstract_num(abstract_id: int | str, *levels: str, link: str = "") -> str:
    return (f'<w:abstractNum {W_XMLNS} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{link}{"".join(levels)}</w:abstractNum>')


def num(num_id: int, abstract_id: int | str, overrides: str = "") -> str:
    return f'<w:num {W_XMLNS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def start_override(ilvl: int, start: int, level: str = "") -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/>{level}</w:lvlOverride>'


def set_numbering(document: DocxDocument, definitions: list[str]) -> None:
    """Replace the template's numbering part with ``definitions`` (abstractNums first)."""
    from docx.oxml import parse_xml

    root = document.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for xml in definitions:
        root.append(parse_xml(xml))


def set_num_pr(element: object, num_id: int | str | None, ilvl: int | str | None) -> None:
    """w:numPr on a paragraph's or style's pPr, values written as given (even invalid ones)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    num_pr = element.get_or_add_pPr().get_or_add_numPr()  # type: ignore[attr-defined]
    for tag, value in (("w:ilvl", ilvl), ("w:numId", num_id)):
        if value is not None:
            child = OxmlElement(tag)
            child.set(qn("w:val"), str(value))
            num_pr.append(child)


def add_numbered(document: DocxDocument, text: str, numbering: Numbering) -> None:
    paragraph = document.add_paragraph(text)
    if isinstance(numbering, str):
        paragraph.style = document.styles[numbering]
    elif isinstance(numbering, tuple) and len(numbering) == 3:
        style, num_id, ilvl = numbering
        paragraph.style = document.styles[style]
        set_num_pr(paragraph._p, num_id, ilvl)
    elif numbering is not None:
        set_num_pr(paragraph._p, *numbering)


def numbered(definitions: list[str], paragraphs: list[tuple[str, Numbering]],
             setup: Callable[[DocxDocument], object] | None = None) -> Callable[[DocxDocument], None]:
    def fill(document: DocxDocument) -> None:
        set_numbering(document, definitions)
        if setup is not None:
            setup(document)
        for text, numbering in paragraphs:
            add_numbered(document, text, numbering)

    return fill


# 一、 / （一） / 1. / （1） / ①: the usual ladder of a Chinese work plan.
PLAN_LEVELS = (
    lvl(0, "chineseCounting", "%1、"),
    lvl(1, "chineseCounting", "（%2）"),
    lvl(2, "decimal", "%3."),
    lvl(3, "decimal", "（%4）"),
    lvl(4, "decimalEnclosedCircle", "%5"),
)
PLAN_NUMBERING = [abstract_num(1, *PLAN_LEVELS), num(1, 1)]
PLAN_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("澜江市青禾区2025年教育工作要点", None),
    ("总体要求", (1, 0)),
    ("坚持立德树人，办好人民满意的教育。", None),
    ("德育工作", (1, 1)),
    ("加强思政课建设", (1, 2)),
    ("每校每学期开展主题班会不少于8次", (1, 3)),
    ("覆盖全区中小学", (1, 4)),
    ("覆盖全体在校学生", (1, 4)),
    ("健全家校共育机制", (1, 3)),
    ("推进劳动教育", (1, 2)),
    ("体育工作", (1, 1)),
    ("开齐开足体育课", (1, 2)),
    ("重点任务", (1, 0)),
    ("扩大优质学位供给", (1, 1)),
    ("新增公办学位1200个", (1, 2)),
]
PLAN_EXPECTED = [
    "澜江市青禾区2025年教育工作要点",
    "一、总体要求",
    "坚持立德树人，办好人民满意的教育。",
    "（一）德育工作",
    "1.加强思政课建设",
    "（1）每校每学期开展主题班会不少于8次",
    "①覆盖全区中小学",
    "②覆盖全体在校学生",
    "（2）健全家校共育机制",  # ① restarts below the next （2）
    "2.推进劳动教育",
    "（二）体育工作",
    "1.开齐开足体育课",  # restarted by （二）
    "二、重点任务",
    "（一）扩大优质学位供给",  # restarted by 二、
    "1.新增公办学位1200个",
]

RESTART_NUMBERING = [
    abstract_num(1, *PLAN_LEVELS),
    abstract_num(2, lvl(0, "decimal", "%1.", start=3)),
    abstract_num(3, lvl(0, "decimal", "%1.")),
    num(1, 1),
    num(2, 1, start_override(0, 9)),  # Word's "restart numbering at 九"
    num(3, 1),  # another num of the same list continues it
    num(4, 2),
    num(5, 3, start_override(0, 1, lvl(0, "upperRoman", "%1."))),  # whole level replaced
]
RESTART_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("总体要求", (1, 0)), ("工作目标", (1, 0)),
    ("加强党建", (2, 0)), ("德育工作", (2, 1)), ("强化师资", (2, 0)), ("保障措施", (2, 0)),
    ("附则", (3, 0)),
    ("新增学位", (4, 0)), ("改扩建校舍", (4, 0)),
    ("组织保障", (5, 0)), ("经费保障", (5, 0)),
]
RESTART_EXPECTED = [
    "一、总体要求", "二、工作目标",
    "九、加强党建", "（一）德育工作", "十、强化师资", "十一、保障措施",
    "十二、附则",
    "3.新增学位", "4.改扩建校舍",
    "I.组织保障", "II.经费保障",
]


def link_heading_styles(document: DocxDocument) -> None:
    """Headings numbered by their styles, as Word's multilevel list "linked to Heading 1"."""
    from docx.enum.style import WD_STYLE_TYPE

    set_num_pr(document.styles["Heading 1"].element, 7, 0)
    set_num_pr(document.styles["Heading 2"].element, 7, None)  # level found by w:lvl/w:pStyle
    custom = document.styles.add_style("青禾标题", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 1"]  # inherits the numbering
    # A numbering style: abstractNum 8 holds its levels, abstractNum 9 points to it.
    list_style = document.styles.add_style("QingheList", WD_STYLE_TYPE.LIST)
    set_num_pr(list_style.element, 8, None)


STYLE_NUMBERING = [
    abstract_num(7, lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Heading1"/>'),
                 lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Heading2"/>')),
    abstract_num(8, lvl(0, "decimal", "%1."), lvl(1, "decimal", "（%2）"),
                 link='<w:styleLink w:val="QingheList"/>'),
    abstract_num(9, link='<w:numStyleLink w:val="QingheList"/>'),
    num(7, 7), num(8, 8), num(9, 9),
]
STYLE_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("总体要求", "Heading 1"),
    ("工作目标", "Heading 2"),
    ("重点任务", "Heading 2"),
    ("主要措施", "青禾标题"),
    ("实施集团化办学", (9, 0)),
    ("推进教师交流轮岗", (9, 1)),
    ("深化课程改革", (8, 0)),  # the numbering style's own num continues the same list
    ("附件", ("Heading 1", 0, None)),  # numId 0 switches the style's numbering off
    ("保障措施", "Heading 1"),
]
STYLE_EXPECTED = [
    "一、总体要求", "（一）工作目标", "（二）重点任务", "二、主要措施",
    "1.实施集团化办学", "（1）推进教师交流轮岗", "2.深化课程改革",
    "附件", "三、保障措施",
]

COMPOUND_NUMBERING = [
    abstract_num(10, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2"),
                 lvl(2, "decimal", "%1.%2.%3", extra='<w:suff w:val="space"/>')),
    abstract_num(11, lvl(0, "chineseCounting", "第%1章", extra='<w:suff w:val="space"/>'),
                 lvl(1, "chineseCounting", "%1.%2", extra='<w:isLgl/>'),
                 lvl(2, "chineseCounting", "%1.%2", extra='<w:suff w:val="nothing"/>')),
    num(10, 10), num(11, 11),
]
COMPOUND_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("总体要求", (10, 0)), ("工作目标", (10, 1)), ("重点任务", (10, 1)), ("推进集团化办学", (10, 2)),
    ("保障措施", (10, 0)), ("组织保障", (10, 1)),
    ("总则", (11, 0)), ("适用范围", (11, 1)), ("工作原则", (11, 2)),
]
COMPOUND_EXPECTED = [
    "1.总体要求", "1.1 工作目标", "1.2 重点任务", "1.2.1 推进集团化办学",
    "2.保障措施", "2.1 组织保障",
    "第一章 总则", "1.1 适用范围", "一.一工作原则",  # w:isLgl forces decimal; w:suff nothing glues
]

BULLET_NUMBERING = [
    abstract_num(12, lvl(0, "bullet", "\uf0b7"), lvl(1, "bullet", "●"), lvl(2, "none", "%3")),
    num(12, 12),
]
BULLET_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("开展“书香校园”活动", (12, 0)), ("每月评选阅读之星", (12, 1)), ("建设班级图书角", (12, 2)),
]

FORMAT_NUMBERING = [
    abstract_num(13, lvl(0, "ideographTraditional", "%1、"), lvl(1, "decimalEnclosedParen", "%2"),
                 lvl(2, "chineseLegalSimplified", "%3、"), lvl(3, "upperLetter", "%4"),
                 lvl(4, "decimalZero", "%5."), lvl(5, "decimalFullWidth", "%6．")),
    num(13, 13),
]
FORMAT_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("学前教育", (13, 0)), ("新增学位", (13, 1)), ("普惠率", (13, 1)), ("义务教育", (13, 0)),
    ("集团化办学", (13, 2)), ("课后服务", (13, 3)), ("参与率", (13, 4)), ("覆盖率", (13, 5)),
]
FORMAT_EXPECTED = [
    "甲、学前教育", "(1)新增学位", "(2)普惠率", "乙、义务教育",
    "壹、集团化办学", "A 课后服务", "01.参与率", "１．覆盖率",
]

LVL_RESTART_NUMBERING = [
    abstract_num(14, lvl(0, "chineseCounting", "%1、"),
                 lvl(1, "chineseCounting", "（%2）", extra='<w:lvlRestart w:val="0"/>')),
    num(14, 14),
]
LVL_RESTART_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("总体要求", (14, 0)), ("工作目标", (14, 1)), ("重点任务", (14, 0)), ("德育工作", (14, 1)),
    ("", (14, 1)),  # an empty numbered paragraph still counts
    ("体育工作", (14, 1)),
]

BROKEN_NUMBERING = [
    abstract_num(20, lvl(0, "klingon", "%1.")),  # unknown format
    abstract_num(21, lvl(0, "decimal", "%3.")),  # names a level that is not there
    abstract_num(22, lvl(0, "decimal", None)),  # no lvlText
    abstract_num(23, link='<w:numStyleLink w:val="NoSuchStyle"/>'),
    abstract_num(24, lvl("x", "decimal", "%1.")),  # ilvl not a number
    abstract_num(25, lvl(0, "decimal", "%1.", start="abc")),  # bad start: counts from 1
    abstract_num("zz"),
    num(20, 20), num(21, 21), num(22, 22), num(23, 23), num(24, 24), num(25, 25),
    num(26, 99),  # missing abstractNum
    num(27, "zz"),
]
BROKEN_PARAGRAPHS: list[tuple[str, Numbering]] = [
    ("未知格式", (20, 0)), ("缺少上级", (21, 0)), ("没有模板", (22, 0)), ("样式缺失", (23, 0)),
    ("层级无效", (24, 0)), ("起始值无效", (25, 0)), ("定义缺失", (26, 0)), ("编号无效", (27, 0)),
    ("没有实例", (98, 0)), ("层级过深", (25, 12)), ("层级为负", (25, -1)), ("编号非数字", ("x", "y")),
    ("仍然有效", (25, 0)),
]
BROKEN_EXPECTED = [text for text, _ in BROKEN_PARAGRAPHS]
BROKEN_EXPECTED[5], BROKEN_EXPECTED[-1] = "1.起始值无效", "2.仍然有效"


def fill_numbered_table(document: DocxDocument) -> None:
    """Numbered paragraphs in table cells count in document order, merged cells once."""
    set_numbering(document, PLAN_NUMBERING)
    add_numbered(document, "主要指标", (1, 0))
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(1, 0))
    set_num_pr(merged.paragraphs[0]._p, 1, 2)
    merged.paragraphs[0].add_run("学前教育")
    for row, text in ((0, "毛入园率达到92%"), (1, "普惠率达到88%")):
        paragraph = table.cell(row, 1).paragraphs[0]
        set_num_pr(paragraph._p, 1, 3)
        paragraph.add_run(text)
    add_numbered(document, "重点任务", (1, 0))


def fill_without_numbering_part(document: DocxDocument) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for text, numbering in PLAN_PARAGRAPHS[:3]:
        add_numbered(document, text, numbering)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.NUMBERING:
            document.part.drop_rel(rel_id)


NUMBERING_CASES: list[tuple[str, Callable[[DocxDocument], object], list[str]]] = [
    ("plan-ladder-with-restarts", numbered(PLAN_NUMBERING, PLAN_PARAGRAPHS), PLAN_EXPECTED),
    ("start-and-start-override", numbered(RESTART_NUMBERING, RESTART_PARAGRAPHS), RESTART_EXPECTED),
    ("style-linked-and-numbering-style", numbered(STYLE_NUMBERING, STYLE_PARAGRAPHS, link_heading_styles),
     STYLE_EXPECTED),
    ("compound-lvltext-islgl-suffix", numbered(COMPOUND_NUMBERING, COMPOUND_PARAGRAPHS), COMPOUND_EXPECTED),
    ("bullets-and-none-show-nothing", numbered(BULLET_NUMBERING, BULLET_PARAGRAPHS),
     [text for text, _ in BULLET_PARAGRAPHS]),
    ("other-formats", numbered(FORMAT_NUMBERING, FORMAT_PARAGRAPHS), FORMAT_EXPECTED),
    ("lvlrestart-0-never-restarts", numbered(LVL_RESTART_NUMBERING, LVL_RESTART_PARAGRAPHS),
     ["一、总体要求", "（一）工作目标", "二、重点任务", "（二）德育工作", "", "（四）体育工作"]),
    ("table-cells", fill_numbered_table,
     ["一、主要指标", "1.学前教育", "（1）毛入园率达到92%", "1.学前教育", "（2）普惠率达到88%", "二、重点任务"]),
    ("broken-definitions-give-no-label", numbered(BROKEN_NUMBERING, BROKEN_PARAGRAPHS), BROKEN_EXPECTED),
    ("no-numbering-part", fill_without_numbering_part, [text for text, _ in PLAN_PARAGRAPHS[:3]]),
]


@pytest.mark.parametrize(("fill", "expected"), [row[1:] for row in NUMBERING_CASES],
                         ids=[row[0] for row in NUMBERING_CASES])
def test_docx_automatic_numbering(tmp_path: Path, fill: Callable[[DocxDocument], object],
                                  expected: list[str]) -> None:
    path = write(tmp_path, "plan.docx", build_docx(fill))
    assert read_source(path).split("\n") == expected


NUMBER_FORMATS = [
    # numFmt, value, label
    ("decimal", 7, "7"),
    ("decimalZero", 7, "07"),
    ("decimalZero", 12, "12"),
    ("decimalFullWidth", 12, "１２"),
    ("decimalEnclosedCircle", 1, "①"),
    ("decimalEnclosedCircle", 20, "⑳"),
    ("decimalEnclosedCircle", 21, "21"),
    ("decimalEnclosedCircleChinese", 3, "③"),
    ("decimalEnclosedParen", 3, "(3)"),
    ("decimalEnclosedFullstop", 3, "3."),
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCounting", 21, "二十一"),
    ("chineseCounting", 105, "一百零五"),
    ("chineseCounting", 110, "一百一十"),
    ("chineseCountingThousand", 2008, "二千零八"),
    ("chineseLegalSimplified", 3, "叁"),
    ("chineseLegalSimplified", 12, "拾贰"),
    ("ideographLegalTraditional", 3, "參"),
    ("ideographTraditional", 3, "丙"),
    ("ideographTraditional", 11, "11"),
    ("ideographZodiac", 12, "亥"),
    ("ideographDigital", 10, "一〇"),
    ("ideographEnclosedCircle", 2, "㊁"),
    ("upperLetter", 2, "B"),
    ("upperLetter", 28, "BB"),
    ("lowerLetter", 26, "z"),
    ("upperRoman", 14, "XIV"),
    ("lowerRoman", 1999, "mcmxcix"),
    ("ordinal", 22, "22nd"),
    ("none", 5, ""),
    ("cardinalText", 5, None),  # not rendered: the paragraph gets no label
    ("", 5, None),
]


@pytest.mark.parametrize(("fmt", "value", "label"), NUMBER_FORMATS,
                         ids=[f"{fmt or 'empty'}-{value}" for fmt, value, _ in NUMBER_FORMATS])
def test_number_formats(fmt: str, value: int, label: str | None) -> None:
    from eduplan.plan.docx_numbering import format_number

    assert format_number(value, fmt) == label


def test_numbering_survives_libreoffice_round_trip(tmp_path: Path) -> None:
    """LibreOffice rewrites numbering.xml its own way (one abstractNum per list, its own
    format names, a restart as a num with w:startOverride); the labels must not change."""
    import subprocess

    soffice = Path("/usr/bin/soffice")
    if not soffice.exists():
        pytest.skip("LibreOffice (/usr/bin/soffice) is not installed; scripts/test.sh installs it")
    paragraphs = [*PLAN_PARAGRAPHS, *COMPOUND_PARAGRAPHS[:4], ("新的一组", (2, 0)), ("子项", (3, 1))]
    definitions = [abstract_num(1, *PLAN_LEVELS), *COMPOUND_NUMBERING[:1],
                   num(1, 1), num(2, 1, start_override(0, 1)), num(3, 1), num(10, 10)]
    source = write(tmp_path, "plan.docx", build_docx(numbered(definitions, paragraphs)))
    expected = [*PLAN_EXPECTED, *COMPOUND_EXPECTED[:4], "一、新的一组", "（一）子项"]
    assert read_source(source).split("\n") == expected

    out_dir = tmp_path / "libreoffice"
    subprocess.run(
        [str(soffice), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx", "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    converted = out_dir / "plan.docx"
    with zipfile.ZipFile(converted) as archive:
        document_xml = archive.read("word/document.xml").decode()
        numbering_xml = archive.read("word/numbering.xml")
    # Still automatic numbering, not labels LibreOffice turned into text.
    assert "<w:numPr>" in document_xml and "总体要求" in document_xml and "一、" not in document_xml
    assert numbering_xml != zipfile.ZipFile(source).read("word/numbering.xml")
    assert read_source(converted).split("\n") == expected


def test_read_plan_finds_headings_numbered_by_word(tmp_path: Path) -> None:
    from eduplan.plan import read_plan

    paragraphs: list[tuple[str, Numbering]] = [
        ("澜江市青禾区2025年教育工作要点", None),
        ("2025年，全区教育系统坚持立德树人根本任务，加快建设高质量教育体系。", None),
        ("总体要求", (1, 0)),
        ("德育工作", (1, 1)),
        ("加强思政课建设。全区中小学思政课教师配备率达到100%。", (1, 2)),
        ("开展主题班会", (1, 3)),
        ("覆盖全区中小学", (1, 4)),
        ("保障措施", (1, 0)),
        ("经费保障", (1, 1)),
    ]
    path = write(tmp_path, "plan.docx", build_docx(numbered(PLAN_NUMBERING, paragraphs)))
    parsed = read_plan(path)
    headings = [(h.level, h.label, h.title) for plan in parsed.plans for h in plan.headings]
    assert headings == [
        (1, "一", "总体要求"), (2, "(一)", "德育工作"), (3, "1", "加强思政课建设"),
        (4, "(1)", "开展主题班会"), (5, "①", "覆盖全区中小学"),
        (1, "二", "保障措施"), (2, "(一)", "经费保障"),
    ]


# ---------------------------------------------------------------- .html

ARTICLE = """
<article>
  <h1>青禾区2025年教育工作要点</h1>
  <p>2025年，全区教育系统坚持立德树人根本任务，加快建设高质量教育体系，办好人民满意的教育。</p>
  <p><strong>一、强化党建引领</strong></p>
  <p>（一）加强基层党组织建设，推进党建与业务<span>深度</span>融合。</p>
  <p>1.新增学前教育学位600个。</p>
  <p>2.改扩建中小学校舍3所，新增学位1200个。</p>
  <p>3.实施学前教育普及普惠攻坚行动，普惠性幼儿园覆盖率达到90%以上，公办园在园幼儿占比达到55%。</p>
  <p>4.推进中小学“双减”工作走深走实，课后服务实现义务教育学校全覆盖，学生参与率保持在95%以上。</p>
  <p>二、推进义务教育优质均衡</p>
  <p>（二）深化集团化办学，覆盖率达到85%以上。<br>（三）推进教师“县管校聘”改革。</p>
  <table>
    <tr><th>指标</th><th>2020年</th><th>2025年</th></tr>
    <tr><td>学前教育毛入园率(%)</td><td>85</td><td>&gt;90</td></tr>
    <tr><td><p>义务教育</p><p>巩固率(%)</p></td><td>95</td><td>96</td></tr>
  </table>
  <p>三、保障措施</p>
</article>
"""
ARTICLE_LINES = [
    PLAN_LINES[0],
    "2025年，全区教育系统坚持立德树人根本任务，加快建设高质量教育体系，办好人民满意的教育。",
    PLAN_LINES[1],
    "（一）加强基层党组织建设，推进党建与业务深度融合。",
    *PLAN_LINES[3:9],  # the numbered items and section 二 as in the plain-text plan
    "（三）推进教师“县管校聘”改革。",
    "指标", "2020年", "2025年",
    "学前教育毛入园率(%)", "85", ">90",
    "义务教育 巩固率(%)", "95", "96",
    "三、保障措施",
]
CHROME = ["首页", "政务公开", "分享到", "关于我们", "网站地图", "tracker", "广告", "版权所有", "LOGO"]


def html_page(article: str = ARTICLE, head: str = '<meta charset="utf-8">') -> str:
    return f"""<!DOCTYPE html>
<html><head>{head}<title>青禾区2025年教育工作要点_青禾区教育局</title>
<script>var tracker = "analytics"; document.write("广告位");</script>
<style>.share {{ color: red }}</style></head>
<body>
<header><div class="logo">LOGO青禾区教育局</div></header>
<nav><a href="/">首页</a> | <a href="/gk">政务公开</a></nav>
<div class="share">分享到微信 分享到微博</div>
{article}
<div class="bdsharebuttonbox"><a>分享到微信</a><a>分享到QQ空间</a></div>
<footer><p>关于我们 | 网站地图 | 联系我们</p><p>版权所有 青禾区教育局</p></footer>
<script>console.log("广告")</script>
</body></html>"""


@pytest.mark.parametrize("short_page", [False, True], ids=["trafilatura", "own-fallback"])
def test_html_keeps_article_and_drops_chrome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             short_page: bool) -> None:
    # Both extraction paths must give the same lines; the page is long enough for trafilatura,
    # and pretending it is short forces the fallback walk.
    monkeypatch.setattr(readers, "_too_short_for_trafilatura", lambda lines: short_page)
    text = read_source(write(tmp_path, "plan.html", html_page().encode()))
    assert text.split("\n") == ARTICLE_LINES
    for chrome in CHROME:
        assert chrome not in text


def test_test_article_is_long_enough_for_trafilatura() -> None:
    assert not readers._too_short_for_trafilatura(ARTICLE_LINES)


HTML_ENCODINGS = [
    ("meta-charset-gbk", "gbk", '<meta charset="gbk">'),
    ("http-equiv-gb2312", "gb18030", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
    ("meta-charset-gb18030", "gb18030", "<meta charset=GB18030>"),
    ("no-declaration-gbk-bytes", "gbk", ""),
    ("declared-gbk-but-utf8-bytes", "utf-8", '<meta charset="gbk">'),
    ("utf-8-bom", "utf-8-sig", ""),
    ("utf-16-bom", "utf-16", '<meta charset="utf-16">'),
]


@pytest.mark.parametrize(("codec", "head"), [row[1:] for row in HTML_ENCODINGS], ids=[row[0] for row in HTML_ENCODINGS])
def test_html_encodings(tmp_path: Path, codec: str, head: str) -> None:
    path = write(tmp_path, "plan.htm", html_page(head=head).encode(codec))
    assert read_source(path).split("\n") == ARTICLE_LINES


def test_xhtml_with_xml_encoding_declaration(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="gb2312"?>\n' + html_page(head="")
    assert read_source(write(tmp_path, "plan.html", page.encode("gb18030"))).split("\n") == ARTICLE_LINES


def test_html_declared_encoding_with_one_bad_byte_is_read(tmp_path: Path) -> None:
    data = html_page(head='<meta charset="gbk">').encode("gbk").replace("网站地图".encode("gbk"), b"\xff\xff")
    assert read_source(write(tmp_path, "plan.html", data)).split("\n") == ARTICLE_LINES


def test_short_page_falls_back_without_splitting_inline_tags(tmp_path: Path) -> None:
    page = ("<html><body><nav>首页</nav><div class='content'><p>一、强化<b>党建</b>引领<br>"
            "1.新增学位<span>600</span>个。</p><p>二、保障措施</p></div>"
            "<footer>网站地图</footer></body></html>")
    text = read_source(write(tmp_path, "short.html", page.encode()))
    assert text.split("\n") == ["一、强化党建引领", "1.新增学位600个。", "二、保障措施"]


def test_html_reading_uses_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    page = html_page(article=ARTICLE.replace("<p>三", '<p><img src="http://example.invalid/a.png">三'))
    assert read_source(write(tmp_path, "plan.html", page.encode())).split("\n") == ARTICLE_LINES


HTML_ERRORS = [
    ("only-whitespace", b"  \n\t ", "E102"),
    ("no-text-only-chrome", b"<html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav><script>x=1</script></body></html>", "E114"),
    ("comment-only", b"<!-- nothing -->", "E114"),
    ("undecodable-no-declaration", b"<html><body><p>\n\n\xff\xfe\xfd</p></body></html>", "E104"),
    ("binary-with-nuls", b"\x1f\x8b\x08\x00" + bytes(100), "E105"),
]


@pytest.mark.parametrize(("data", "code"), [row[1:] for row in HTML_ERRORS], ids=[row[0] for row in HTML_ERRORS])
def test_html_errors(tmp_path: Path, data: bytes, code: str) -> None:
    path = write(tmp_path, "plan.html", data)
    error = read_error(path)
    assert error.code == code
    assert str(path) in str(error)


# ---------------------------------------------------------------- .pdf


def make_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF with a text layer, one text line per entry, no font file needed.

    The font is a non-embedded CID font whose codes are the Unicode code points, mapped back
    by a ToUnicode CMap: pdfium renders it with a substitute but extracts the exact text.
    """
    codes = sorted({ord(ch) for page in pages for line in page for ch in line})
    chunks = [codes[i:i + 100] for i in range(0, len(codes), 100)]  # CMap blocks hold <=100
    bfchar = b"".join(
        b"%d beginbfchar\n" % len(chunk) + b"".join(b"<%04X> <%04X>\n" % (c, c) for c in chunk) + b"endbfchar\n"
        for chunk in chunks
    )
    cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + bfchar
            + b"endcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n")
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(len(pages))).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H"
        b" /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    for index, lines in enumerate(pages):
        shows = [b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*" for line in lines]
        content = b"\n".join([b"BT /F1 12 Tf 16 TL 40 800 Td", *shows, b"ET"])
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                       b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


PDF_PAGES = [
    [
        "青禾区2025年教育工作要点",
        "一、强化党建引领",
        "（一）加强基层党组织建设，推进党建与业务深度融合，全面提",
        "升基层党组织的组织力和凝聚力。",
        "1.新增学前教育学位600个，改扩建幼儿园5所，普惠性幼儿园覆盖",
        "率达到90%以上。",
        "2.实施中小学校舍改扩建工程3项，新增义务教育学位1200个，",
        "确保秋季学期投入使用，同步配齐教师和设施设备，保障顺利开",
        "— 1 —",
    ],
    [
        "学。",
        "二、推进义务教育优质均衡发展",
        "（二）深化集团化办学，新组建教育集团4个，集团化办学覆盖率",
        "（三）推进教师“县管校聘”改革。",
    ],
]
PDF_EXPECTED = [
    "青禾区2025年教育工作要点",
    "一、强化党建引领",
    "（一）加强基层党组织建设，推进党建与业务深度融合，全面提升基层党组织的组织力和凝聚力。",
    "1.新增学前教育学位600个，改扩建幼儿园5所，普惠性幼儿园覆盖率达到90%以上。",
    "2.实施中小学校舍改扩建工程3项，新增义务教育学位1200个，确保秋季学期投入使用，同步配齐教师和设施设备，保障顺利开",
    "— 1 —",
    "学。",  # page breaks are never joined
    "二、推进义务教育优质均衡发展",
    "（二）深化集团化办学，新组建教育集团4个，集团化办学覆盖率",  # next line is numbered
    "（三）推进教师“县管校聘”改革。",
]


def test_pdf_text_with_wrapped_lines_rejoined(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", make_pdf(PDF_PAGES))
    assert read_source(path).split("\n") == PDF_EXPECTED


def image_only_pdf() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


PDF_ERRORS: list[tuple[str, Callable[[], bytes], str]] = [
    ("pages-without-text", image_only_pdf, "E106"),
    ("only-whitespace-text", lambda: make_pdf([["   ", ""]]), "E106"),
    ("garbage-bytes", lambda: bytes(range(1, 256)) * 8, "E107"),
    ("plain-text-renamed", lambda: PLAN_TEXT.encode(), "E107"),
    ("header-only", lambda: b"%PDF-1.7\n%%EOF\n", "E107"),
]


@pytest.mark.parametrize(("make", "code"), [row[1:] for row in PDF_ERRORS], ids=[row[0] for row in PDF_ERRORS])
def test_pdf_errors(tmp_path: Path, make: Callable[[], bytes], code: str) -> None:
    path = write(tmp_path, "plan.pdf", make())
    error = read_error(path)
    assert error.code == code
    assert str(path) in str(error)


FULL = "加强基层党组织建设，推进党建与业务深度融合，全面提升组织"  # a full-width line, 28 chars
REJOIN_CASES = [
    # id, previous line, next line, joined?
    ("full-line-mid-sentence", FULL, "力和凝聚力。", True),
    ("ends-with-full-stop", FULL[:-1] + "。", "力和凝聚力。", False),
    ("ends-with-colon", FULL[:-1] + "：", "力和凝聚力。", False),
    ("ends-with-semicolon-and-quote", FULL[:-2] + "；”", "力和凝聚力。", False),
    ("short-heading", "一、强化党建引领", "坚持党的全面领导。", False),
    ("next-chinese-numbered", FULL, "二、推进义务教育优质均衡", False),
    ("next-paren-chinese", FULL, "（二）深化集团化办学", False),
    ("next-ascii-paren-chinese", FULL, "(二)深化集团化办学", False),
    ("next-arabic-dot", FULL, "3.新增学位600个。", False),
    ("next-arabic-fullwidth-dot", FULL, "3．新增学位600个。", False),
    ("next-arabic-comma", FULL, "3、新增学位600个。", False),
    ("next-paren-arabic", FULL, "（3）新增学位600个。", False),
    ("next-circled", FULL, "③新增学位600个。", False),
    ("next-kangxi-numeral", FULL, "\u2f00、强化党建引领", False),
    ("next-chapter", FULL, "第三章 保障措施", False),
    ("next-decimal-is-not-numbering", FULL, "1.5万个学位。", True),
    ("next-indented", FULL, "　　新的段落开始。", False),
    ("next-page-number", FULL, "— 2 —", False),
    ("blank-next", FULL, "", False),
    ("latin-words-get-a-space", "The plan covers " + "教" * 22 + " digital", "education.", True),
]


@pytest.mark.parametrize(("previous", "following", "joined"), [row[1:] for row in REJOIN_CASES],
                         ids=[row[0] for row in REJOIN_CASES])
def test_pdf_rejoin_rules(previous: str, following: str, joined: bool) -> None:
    width_setter = FULL[:-1] + "。"  # sets the page's full line width, never joined itself
    lines = readers._rejoin_wrapped_lines(f"{width_setter}\n{previous}\n{following}").split("\n")
    assert lines[0] == width_setter
    separator = " " if previous.endswith("digital") else ""
    expected = [previous + separator + following] if joined else [previous, following]
    assert lines[1:] == expected


def test_layout_class_on_content_wrapper_does_not_drop_the_plan(tmp_path: Path) -> None:
    # "has-sidebar" names a layout, not a sidebar: the wrapper holds the whole plan.
    page = html_page(article=f'<div class="page has-sidebar">{ARTICLE}</div>')
    assert read_source(write(tmp_path, "plan.html", page.encode())).split("\n") == ARTICLE_LINES


# Where a page's headline stands when the extractor keeps only the article's body:
# (id, the page's headline markup, body without its own title, expected first line)
HEADLINE_CASES = [
    ("h1_in_page_header", "<header><h1>青禾区2025年教育工作要点</h1></header>", "青禾区2025年教育工作要点"),
    ("title_div", '<div class="article-title">青禾区2025年教育工作要点</div>', "青禾区2025年教育工作要点"),
    ("only_the_head_title_with_site_name", "", "青禾区2025年教育工作要点"),
    ("site_logo_in_h1_is_no_title", "<h1>青禾区人民政府</h1>", "青禾区2025年教育工作要点"),
]


@pytest.mark.parametrize(("headline", "first_line"), [c[1:] for c in HEADLINE_CASES],
                         ids=[c[0] for c in HEADLINE_CASES])
def test_the_page_headline_heads_the_text(tmp_path: Path, headline: str, first_line: str) -> None:
    body = ARTICLE.replace("<h1>青禾区2025年教育工作要点</h1>", "")
    page = html_page(article=headline + body)
    lines = read_source(write(tmp_path, "plan.html", page.encode())).split("\n")
    assert lines[0] == first_line
    assert lines[1:] == ARTICLE_LINES[1:]


def test_layout_class_on_wrapper_without_article_tag(tmp_path: Path) -> None:
    body = ARTICLE.replace("<article>", "").replace("</article>", "").replace("<h1>", "<p>").replace("</h1>", "</p>")
    page = html_page(article=f'<div class="content with-menu">{body}</div>')
    assert read_source(write(tmp_path, "plan.html", page.encode())).split("\n") == ARTICLE_LINES
