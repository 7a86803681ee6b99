"""Uploads: Office files cannot inflate without bound, a plan upload is parsed once, and an
import that fails or is killed leaves no files behind.

The zip bombs here are real archives: a valid .docx or .xlsx whose main XML part inflates to
300 MB. They are written by a small zip writer below from one compressed 1 MiB block repeated
(each block is compressed after a full flush, so its compressed bytes are the same every
time), which keeps building them cheap and lets a test write headers that lie.
"""

from __future__ import annotations

import io
import os
import resource
import struct
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eduplan.errors import EduplanError
from eduplan.plan.readers import read_source
from eduplan.plan.safezip import MAX_INFLATED_BYTES, MAX_MEMBERS, checked_copy
from eduplan.reports.breakdown import export as bx
from eduplan.reports.breakdown import views as breakdown_views
from eduplan.reports.breakdown.importing import read_breakdown
from eduplan.tracking import importing
from eduplan.tracking.importing import PARSED_SUFFIX, STALE_AFTER
from eduplan.tracking.models import PendingImport, Plan
from tests.conftest import EXAMPLE_PLAN

MIB = 1024 * 1024
BOMB_BYTES = 300 * MIB
MEMORY_BOUND = 100 * MIB  # what one check may add to the process; the cap itself is 16 MiB
TIME_BOUND = 10.0  # seconds; a bomb is refused in well under one on an idle machine

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOCX_BODY = "word/document.xml"
XLSX_SHEET = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------- a zip writer that can lie

@dataclass
class Member:
    name: str
    compressed: bytes
    crc: int
    size: int  # the real inflated size
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def member(name: str, content: bytes) -> Member:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, packer.compress(content) + packer.flush(), zlib.crc32(content), len(content))


def bomb(name: str, head: bytes, unit: bytes, tail: bytes, size: int = BOMB_BYTES) -> Member:
    """``head``, then ``unit`` repeated, then ``tail``: ``size`` bytes of valid XML, compressed
    without ever holding more than one 1 MiB block."""
    block = unit * (MIB // len(unit))
    blocks = (size - len(head) - len(tail)) // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, start + repeated * blocks + end, crc, len(head) + blocks * len(block) + len(tail))


LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
DOS_DATE = (1 << 5) | 1  # 1980-01-01


def write_zip(members: list[Member], declared: dict[str, int] | None = None, *,
              end_entries: int | None = None) -> bytes:
    """A zip archive of ``members``; ``declared`` overrides the inflated size written in both
    headers, ``end_entries`` the entry count in the end record."""
    declared = declared or {}
    out, directory = io.BytesIO(), io.BytesIO()
    for m in members:
        name = m.name.encode()
        size = declared.get(m.name, m.size)
        offset = out.tell()
        out.write(LOCAL.pack(b"PK\x03\x04", 20, m.flags, m.method, 0, DOS_DATE, m.crc, len(m.compressed), size,
                             len(name), 0))
        out.write(name + m.compressed)
        directory.write(CENTRAL.pack(b"PK\x01\x02", 20, 20, m.flags, m.method, 0, DOS_DATE, m.crc,
                                     len(m.compressed), size, len(name), 0, 0, 0, 0, 0, offset))
        directory.write(name)
    start = out.tell()
    out.write(directory.getvalue())
    count = len(members) if end_entries is None else end_entries
    out.write(END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0))
    return out.getvalue()


def members_of(data: bytes, replace: dict[str, Member] | None = None) -> list[Member]:
    """The members of a real archive, some replaced (by name)."""
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [replace.get(i.filename) or member(i.filename, archive.read(i)) for i in archive.infolist()]


# ---------------------------------------------------------------- real documents

def plan_docx(text: str | None = None) -> bytes:
    document = docx.Document()
    for line in (text or EXAMPLE_PLAN.read_text(encoding="utf-8")).split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def small_docx() -> bytes:
    return plan_docx("青禾区2025年教育工作要点\n一、总体要求\n1.加强学校体育工作。")


@pytest.fixture(scope="module")
def docx_bomb_member() -> Member:
    return bomb(DOCX_BODY, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
                f"<w:body>".encode(), "<w:p><w:r><w:t>加强学校体育工作</w:t></w:r></w:p>".encode(),
                b"</w:body></w:document>")


@pytest.fixture(scope="module")
def docx_bomb(small_docx, docx_bomb_member) -> bytes:
    return write_zip(members_of(small_docx, {DOCX_BODY: docx_bomb_member}))


@pytest.fixture(scope="module")
def sheet_bomb_member() -> Member:
    return bomb(XLSX_SHEET, f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S_NS}"><sheetData>'.encode(),
                b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', b"</sheetData></worksheet>")


@dataclass
class Measured:
    error: EduplanError | None
    seconds: float
    traced_peak: int  # bytes, Python allocations (zlib's output buffers included)
    rss_growth: int  # bytes the process's peak resident size grew by


def measure(action: Callable[[], object]) -> Measured:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    tracemalloc.start()
    started = time.perf_counter()
    error = None
    try:
        action()
    except EduplanError as err:
        error = err
    finally:
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return Measured(error, seconds, peak, rss_growth)


def assert_refused_cheaply(result: Measured, code: str) -> None:
    assert result.error is not None and result.error.code == code, result.error
    assert str(result.error).count("\n") == 0
    assert result.seconds < TIME_BOUND
    assert result.traced_peak < MEMORY_BOUND
    assert result.rss_growth < MEMORY_BOUND


# ---------------------------------------------------------------- .docx

def test_the_bomb_really_is_one(docx_bomb, docx_bomb_member):
    """What the tests below are refused: a ~1 MB .docx whose body inflates to 300 MB."""
    assert len(docx_bomb) < 2 * MIB
    assert docx_bomb_member.size >= BOMB_BYTES - MIB
    with zipfile.ZipFile(io.BytesIO(docx_bomb)) as archive:
        assert archive.getinfo(DOCX_BODY).file_size == docx_bomb_member.size  # the header tells the truth
        with archive.open(DOCX_BODY) as body:
            assert body.read(200).startswith(b"<?xml")


def test_a_docx_bomb_is_refused_quickly_in_bounded_memory(tmp_path, docx_bomb):
    path = tmp_path / "计划.docx"
    path.write_bytes(docx_bomb)
    result = measure(lambda: read_source(path))
    assert_refused_cheaply(result, "E115")
    assert str(path) in str(result.error) and f"{MAX_INFLATED_BYTES // MIB} MB" in str(result.error)


def test_a_header_that_understates_the_size_does_not_help(tmp_path, small_docx, docx_bomb_member):
    """The directory says 1 KB; the data inflates to 300 MB. Never more than the declared size
    is read, and the mismatch is reported as a damaged entry."""
    path = tmp_path / "lying.docx"
    path.write_bytes(write_zip(members_of(small_docx, {DOCX_BODY: docx_bomb_member}), {DOCX_BODY: 1000}))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(DOCX_BODY).file_size == 1000
    result = measure(lambda: read_source(path))
    assert_refused_cheaply(result, "E118")
    assert DOCX_BODY in str(result.error)


def test_a_header_that_overstates_the_size_is_not_trusted_either(tmp_path, small_docx):
    """A directory that claims gigabytes does not make a small, honest document a bomb."""
    path = tmp_path / "big-claim.docx"
    with zipfile.ZipFile(io.BytesIO(small_docx)) as archive:
        size = archive.getinfo(DOCX_BODY).file_size
    path.write_bytes(write_zip(members_of(small_docx), {DOCX_BODY: size + 2**31}))
    assert read_source(path).split("\n")[-1] == "1.加强学校体育工作。"


def test_a_long_document_under_the_cap_is_read(tmp_path, small_docx):
    """A body that inflates well past a real plan's size, but under the cap, is still a document."""
    body = bomb(DOCX_BODY, f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode(),
                b"<w:p/>", b"<w:p><w:r><w:t>end</w:t></w:r></w:p></w:body></w:document>", size=2 * MIB)
    path = tmp_path / "long.docx"
    path.write_bytes(write_zip(members_of(small_docx, {DOCX_BODY: body})))
    assert read_source(path).rstrip("\n").endswith("end")


def test_pictures_are_never_inflated(tmp_path, small_docx):
    """A 300 MB "picture" inside a good document is copied empty: the text is still read."""
    picture = bomb("word/media/image1.png", b"\x89PNG", b"\0" * 64, b"")
    path = tmp_path / "with-picture.docx"
    path.write_bytes(write_zip([*members_of(small_docx), picture]))
    result = measure(lambda: read_source(path))
    assert result.error is None and result.seconds < TIME_BOUND and result.traced_peak < MEMORY_BOUND
    assert "1.加强学校体育工作。" in read_source(path)


def many_members(count: int) -> list[Member]:
    return [member(f"word/part{n}.xml", b"<x/>") for n in range(count)]


# fmt: off
ODD_ARCHIVES = [
    # case, archive built from the small .docx, message code
    ("too-many-entries",        lambda d: write_zip([*members_of(d), *many_members(MAX_MEMBERS)]),          "E116"),
    ("end-record-claims-many",  lambda d: write_zip(members_of(d), end_entries=65535),                     "E116"),
    ("duplicate-name",          lambda d: write_zip([*members_of(d), member(DOCX_BODY, b"<w:document/>")]), "E117"),
    ("encrypted-entry",         lambda d: write_zip([Member(**{**vars(m), "flags": 1}) if m.name == DOCX_BODY else m
                                                     for m in members_of(d)]),                              "E117"),
    ("unknown-compression",     lambda d: write_zip([Member(**{**vars(m), "method": 99}) if m.name == DOCX_BODY else m
                                                     for m in members_of(d)]),                              "E117"),
    ("bad-crc",                 lambda d: write_zip([Member(**{**vars(m), "crc": m.crc ^ 1}) if m.name == DOCX_BODY
                                                     else m for m in members_of(d)]),                       "E118"),
    ("not-deflate-data",        lambda d: write_zip([Member(**{**vars(m), "compressed": b"\xff" * 50})
                                                     if m.name == DOCX_BODY else m for m in members_of(d)]), "E118"),
    ("not-a-zip",               lambda d: b"PK\x03\x04" + bytes(200),                                       "E108"),
]
# fmt: on


@pytest.mark.parametrize(("build", "code"), [row[1:] for row in ODD_ARCHIVES], ids=[row[0] for row in ODD_ARCHIVES])
def test_odd_archives_are_one_line_errors(tmp_path, small_docx, build, code):
    path = tmp_path / "odd.docx"
    path.write_bytes(build(small_docx))
    with pytest.raises(EduplanError) as caught:
        read_source(path)
    assert caught.value.code == code and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_copy_holds_exactly_the_parts_that_were_counted(small_docx):
    with zipfile.ZipFile(checked_copy(small_docx, "x.docx")) as copy, \
            zipfile.ZipFile(io.BytesIO(small_docx)) as original:
        assert sorted(copy.namelist()) == sorted(original.namelist())
        for name in original.namelist():
            picture = name.endswith(".jpeg")  # python-docx's default thumbnail: copied empty
            assert copy.read(name) == (b"" if picture else original.read(name)), name
        assert "docProps/thumbnail.jpeg" in original.namelist()


def test_the_cap_counts_what_is_produced_not_what_is_declared(small_docx, docx_bomb_member):
    """With a 1 MiB cap, the 300 MB body stops at the first block past it."""
    with pytest.raises(EduplanError) as caught:
        checked_copy(write_zip(members_of(small_docx, {DOCX_BODY: docx_bomb_member})), "x.docx", max_inflated=MIB)
    assert caught.value.code == "E115"


# ---------------------------------------------------------------- .xlsx (任务分解表)

@pytest.fixture
def xlsx_bomb(world, tmp_path, sheet_bomb_member) -> Path:
    exported = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, exported)
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(write_zip(members_of(exported.read_bytes(), {XLSX_SHEET: sheet_bomb_member})))
    return path


def test_an_xlsx_bomb_is_refused_quickly_in_bounded_memory(world, xlsx_bomb):
    assert xlsx_bomb.stat().st_size < 2 * MIB
    result = measure(lambda: read_breakdown(xlsx_bomb, world.plan))
    assert_refused_cheaply(result, "E115")
    assert xlsx_bomb.name in str(result.error)


def test_an_xlsx_with_a_lying_header_is_refused(world, tmp_path, sheet_bomb_member):
    exported = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, exported)
    path = tmp_path / "lying.xlsx"
    path.write_bytes(write_zip(members_of(exported.read_bytes(), {XLSX_SHEET: sheet_bomb_member}), {XLSX_SHEET: 500}))
    result = measure(lambda: read_breakdown(path, world.plan))
    assert_refused_cheaply(result, "E118")


def test_a_normal_xlsx_still_reads(world, tmp_path):
    exported = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, exported)
    reading = read_breakdown(exported, world.plan)
    assert reading.ok and reading.changes == [] and reading.unchanged > 0


def test_an_xlsx_bomb_uploaded_through_the_page_leaves_nothing(world, as_user, xlsx_bomb, settings):
    url = reverse("breakdown-import", args=[world.plan.pk])
    response = as_user("admin").post(url, {"file": SimpleUploadedFile("分解表.xlsx", xlsx_bomb.read_bytes())})
    assert response.status_code == 200 and "[E115]" in response.content.decode()
    assert list((Path(settings.MEDIA_ROOT) / breakdown_views.PENDING_DIR).iterdir()) == []


def test_an_interrupted_xlsx_import_leaves_nothing(world, as_user, settings, tmp_path, monkeypatch):
    exported = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, exported)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as when the worker is stopped mid-read

    monkeypatch.setattr(breakdown_views, "read_breakdown", killed)
    with pytest.raises(KeyboardInterrupt):
        as_user("admin").post(reverse("breakdown-import", args=[world.plan.pk]),
                              {"file": SimpleUploadedFile("分解表.xlsx", exported.read_bytes())})
    assert list((Path(settings.MEDIA_ROOT) / breakdown_views.PENDING_DIR).iterdir()) == []


# ---------------------------------------------------------------- the plan import pages

def upload(client, name: str, content: bytes, **data):
    return client.post(reverse("plan-import"), {"file": SimpleUploadedFile(name, content), **data})


def pending_folder(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / "pending"


def stored_files(settings) -> list[str]:
    folder = pending_folder(settings)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def parse_count(monkeypatch) -> list[str]:
    """Every file the import parses (the real parser runs; this only records the calls)."""
    calls: list[str] = []
    real = importing.read_plan

    def counted(path):
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(importing, "read_plan", counted)
    return calls


@pytest.mark.parametrize(("name", "content"), [
    ("qinghe_2025_annual.txt", EXAMPLE_PLAN.read_bytes()),
    ("qinghe_2025_annual.docx", plan_docx()),
], ids=["txt", "docx"])
def test_an_upload_is_parsed_once_from_upload_to_confirmation(world, as_user, settings, parse_count, name, content):
    client = as_user("admin")
    review = upload(client, name, content)["Location"]
    pending = PendingImport.objects.get()
    stored = Path(pending.file.path)
    assert stored_files(settings) == sorted([stored.name, stored.name + PARSED_SUFFIX])

    page = client.get(review).content.decode()
    assert "28 项任务" in page and "加强学校体育工作" in page
    client.get(review)  # looking again parses nothing either
    response = client.post(review, {"action": "confirm"})
    plan = Plan.objects.exclude(pk=world.plan.pk).get()
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.tasks.count() == 28 and plan.source_name == name
    assert parse_count == [stored.name]
    assert stored_files(settings) == [] and not PendingImport.objects.exists()


def test_a_pending_import_without_a_kept_parse_is_parsed_once_then(world, as_user, parse_count, settings):
    """A pending import stored before parses were kept still reviews and confirms."""
    client = as_user("admin")
    review = upload(client, EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())["Location"]
    pending = PendingImport.objects.get()
    Path(pending.file.path + PARSED_SUFFIX).unlink()
    assert "28 项任务" in client.get(review).content.decode()
    client.post(review, {"action": "confirm"})
    assert Plan.objects.count() == 2 and len(parse_count) == 2  # the upload, then the review once


def test_a_docx_bomb_upload_is_refused_and_leaves_nothing(world, as_user, settings, docx_bomb):
    response = upload(as_user("admin"), "计划.docx", docx_bomb)
    page = response.content.decode()
    assert response.status_code == 200 and "[E115]" in page and "计划.docx" in page
    assert "/pending/" not in page  # the message names the uploaded file, not the server's copy
    assert not PendingImport.objects.exists() and stored_files(settings) == []


def test_an_interrupted_import_leaves_no_row_and_no_file(world, as_user, settings, monkeypatch):
    def killed(path):
        raise KeyboardInterrupt  # as when the worker is stopped mid-parse

    monkeypatch.setattr(importing, "read_plan", killed)
    with pytest.raises(KeyboardInterrupt):
        upload(as_user("admin"), EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    assert not PendingImport.objects.exists() and stored_files(settings) == []


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_new_upload_sweeps_what_killed_imports_left_behind(world, as_user, settings, tmp_path, monkeypatch):
    temp = tmp_path / "upload-tmp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the API's import makes its folder
    for folder, seconds in ((temp / "eduplan-import-killed", STALE_AFTER + 60), (temp / "eduplan-import-busy", 60)):
        folder.mkdir()
        (folder / "plan.docx").write_bytes(b"x")
        age(folder, seconds)
    client = as_user("admin")
    upload(client, EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())  # a pending import kept for days
    kept = PendingImport.objects.get()
    folder = pending_folder(settings)
    files = {
        folder / "orphan.docx": STALE_AFTER + 60,  # a killed import's stored upload
        folder / ("orphan.docx" + PARSED_SUFFIX): STALE_AFTER + 60,
        folder / "in-flight.docx": 60,  # another import, still running
        temp / "tmpab12_xyz.upload.docx": STALE_AFTER + 60,  # Django's temporary file of a killed request
        temp / "tmpab12_xyz.upload.txt": 60,
        temp / "someone-elses.txt": STALE_AFTER + 60,
    }
    for path, seconds in files.items():
        path.write_bytes(b"x")
        age(path, seconds)
    for path in (Path(kept.file.path), Path(kept.file.path + PARSED_SUFFIX)):
        age(path, 3 * STALE_AFTER)

    upload(client, "another.txt", EXAMPLE_PLAN.read_bytes())

    left = set(stored_files(settings))
    assert "orphan.docx" not in left and "orphan.docx" + PARSED_SUFFIX not in left
    assert {"in-flight.docx", Path(kept.file.path).name, Path(kept.file.path).name + PARSED_SUFFIX} <= left
    assert sorted(p.name for p in temp.iterdir()) == ["eduplan-import-busy", "someone-elses.txt",
                                                      "tmpab12_xyz.upload.txt"]
    assert PendingImport.objects.count() == 2


def test_the_kept_parse_is_the_parse(tmp_path):
    """The review and the confirmation see exactly what the parser produced."""
    from eduplan.plan import read_plan
    from eduplan.tracking.importing import load_parsed, parsed_path, save_parsed

    parsed = read_plan(EXAMPLE_PLAN)
    target = parsed_path(tmp_path / "plan.txt")
    save_parsed(parsed, target)
    assert load_parsed(target) == parsed
    target.write_text("{not json", encoding="utf-8")
    assert load_parsed(target) is None

