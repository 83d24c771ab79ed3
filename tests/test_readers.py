"""Reading files into raw documents: every format, every kind of bad input (invented content only)."""
import codecs
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from indexer import readers
from indexer.readers import RawDocument, Skipped, iter_files, read_file, read_paths

ARTICLE = "Ferry plan approved\n\nThe harbour council of Velmora approved the new ferry timetable on Monday."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read_one(path: Path, **kwargs) -> RawDocument | Skipped:
    items = list(read_file(path, **kwargs))
    assert len(items) == 1, items
    return items[0]


def docs_and_skips(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Skipped)]


def make_pdf(pages: list[str | None]) -> bytes:
    """A real, minimal PDF: one page per entry, each line of text drawn in Helvetica.

    ``None`` draws only a rectangle (a page without a text layer, like a scan).
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages))), len(pages)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        if text is None:
            ops = b"0.5 g 72 72 400 600 re f"
        else:
            escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in text.split("\n")]
            ops = b"BT /F1 12 Tf 72 720 Td 16 TL " + b" ".join(b"(%s) Tj T*" % s.encode("latin-1") for s in escaped) + b" ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted(pdf: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- plain text ----------------------------------------------------------------------------------

def test_text_file(tmp_path):
    path = write(tmp_path / "ferry.txt", "Ferry plan\r\napproved\rtoday\n")
    doc = read_one(path)
    assert doc == RawDocument(source=str(path.resolve()), source_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
                              text="Ferry plan\napproved\ntoday", source_label="ferry.txt")


def test_text_is_nfc_normalised(tmp_path):
    doc = read_one(write(tmp_path / "a.txt", "Cafe\u0301 Velmora"))
    assert doc.text == "Caf\u00e9 Velmora"


def test_utf8_bom_is_stripped(tmp_path):
    doc = read_one(write(tmp_path / "bom.txt", codecs.BOM_UTF8 + ARTICLE.encode()))
    assert doc.text == ARTICLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_with_bom(tmp_path, encoding):
    bom = {"utf-16": b"", "utf-16-be": codecs.BOM_UTF16_BE, "utf-16-le": codecs.BOM_UTF16_LE}[encoding]
    doc = read_one(write(tmp_path / "wide.txt", bom + "Żółw in Velmora – ferry".encode(encoding)))
    assert doc.text == "Żółw in Velmora – ferry"


def test_binary_data_with_txt_name(tmp_path):
    item = read_one(write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert item == Skipped(str((tmp_path / "image.txt").resolve()), "not a text file (binary data)")


def test_invalid_utf8(tmp_path):
    item = read_one(write(tmp_path / "latin1.txt", "Caf\u00e9 in Velmora".encode("latin-1")))
    assert isinstance(item, Skipped) and item.fatal
    assert item.reason.startswith("not valid UTF-8 text")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_file(tmp_path, content):
    item = read_one(write(tmp_path / "empty.txt", content))
    assert isinstance(item, Skipped) and item.reason == "empty file"


# --- Markdown ------------------------------------------------------------------------------------

def test_markdown_markup_is_stripped_keeping_lines(tmp_path):
    md = ("# Ferry *plan* approved\n\nThe **harbour council** of [Velmora](https://example.org/v) met.\n\n"
          "- first stop\n- second stop\n\n1. one\n2. two\n\n```\ntimetable = 3\n```\n\n> A quoted line\n")
    doc = read_one(write(tmp_path / "note.md", md))
    assert doc.text == ("Ferry plan approved\n\nThe harbour council of Velmora met.\n\nfirst stop\nsecond stop\n\n"
                        "one\ntwo\n\ntimetable = 3\n\nA quoted line")


def test_markdown_front_matter_gives_title_and_date(tmp_path):
    md = '---\ntitle: "Ferry plan approved"\ndate: 2021-03-04\n---\nThe council met.\n'
    doc = read_one(write(tmp_path / "post.md", md))
    assert (doc.text, doc.title, doc.published) == ("The council met.", "Ferry plan approved", dt.date(2021, 3, 4))


# --- HTML ----------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Harbour reopens | Coastline Daily</title>
<meta property="article:published_time" content="2021-06-04T09:30:00+02:00">
<link rel="canonical" href="https://example.org/harbour"><style>p { color: red }</style>
<script>var hiddenScript = 1;</script></head>
<body><header><nav><a href="/">Home</a></nav><h1>Coastline Daily</h1></header>
<main><article><header><h1>Harbour reopens</h1></header>
<p>The old harbour of <b>Velmora</b>   reopened
on Friday.</p><p>Second<br>line</p><ul><li>One</li><li>Two</li></ul>
<div hidden>secret</div><noscript>enable js</noscript><form>Subscribe</form><svg><text>logo</text></svg>
<template>tpl</template><iframe>frame</iframe><footer>Share this</footer></article>
<aside>Related stories</aside></main><footer>Copyright</footer></body></html>"""


def test_html_visible_text_blocks_and_metadata(tmp_path):
    doc = read_one(write(tmp_path / "page.html", PAGE))
    assert doc.text == "Harbour reopens\n\nThe old harbour of Velmora reopened on Friday.\n\nSecond\nline\n\nOne\n\nTwo"
    assert doc.title == "Harbour reopens"  # the <h1>, without the site name of <title>
    assert doc.published == dt.date(2021, 6, 4)
    assert doc.url == "https://example.org/harbour"


def test_html_without_article_uses_body_and_title_tag(tmp_path):
    html = ("<html><head><title>Ferry notes</title><meta property='og:url' content='https://example.org/n'></head>"
            "<body><nav>Menu</nav><div><p>First <i>para</i></p><div>Second</div></div>"
            "<p>Meeting on <time datetime='2020-05-12'>Tuesday</time></p></body></html>")
    doc = read_one(write(tmp_path / "notes.htm", html))
    assert doc.text == "First para\n\nSecond\n\nMeeting on Tuesday"
    assert (doc.title, doc.published, doc.url) == ("Ferry notes", dt.date(2020, 5, 12), "https://example.org/n")


def test_html_title_from_h1_when_no_title_tag(tmp_path):
    doc = read_one(write(tmp_path / "h.html", "<body><h1>Ferry  plan</h1><p>Text.</p></body>"))
    assert (doc.title, doc.text) == ("Ferry plan", "Ferry plan\n\nText.")


def test_deeply_nested_html(tmp_path):
    depth = 10_000
    html = "<html><head><title>Deep</title></head><body>" + "<div>" * depth + "<p>Deep ferry text</p>" + "</div>" * depth
    doc = read_one(write(tmp_path / "deep.html", html + "</body></html>"))
    assert (doc.title, doc.text) == ("Deep", "Deep ferry text")


def test_html_declared_legacy_charset(tmp_path):
    html = "<html><head><meta charset='windows-1252'></head><body><p>Caf\u00e9 \u2013 Velmora</p></body></html>"
    doc = read_one(write(tmp_path / "legacy.html", html.encode("cp1252")))
    assert doc.text == "Caf\u00e9 \u2013 Velmora"


def test_html_without_visible_text(tmp_path):
    item = read_one(write(tmp_path / "blank.html", "<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>"))
    assert isinstance(item, Skipped) and item.reason == "no visible text in HTML page"


# --- JSON and JSON Lines -------------------------------------------------------------------------

def test_json_single_object(tmp_path):
    record = {"id": "a-1", "text": "Ferry text", "title": "Ferry", "date": "2021-06-04", "url": "https://example.org/a",
              "source": "Coastline Wire"}
    doc = read_one(write(tmp_path / "one.json", json.dumps(record)))
    assert doc == RawDocument(str((tmp_path / "one.json").resolve()), hashlib.sha256(json.dumps(record).encode()).hexdigest(),
                              "Ferry text", "a-1", "Ferry", dt.date(2021, 6, 4), "Coastline Wire", "https://example.org/a",
                              "one.json#a-1")


def test_json_list_keeps_good_records(tmp_path):
    records = [{"id": 7, "text": "Seven"}, {"title": "No text here"}, {"text": "Third", "date": "June 2021"}, "oops"]
    items = list(read_file(write(tmp_path / "many.json", json.dumps(records))))
    docs, skips = docs_and_skips(items)
    assert [(d.record_id, d.text, d.published) for d in docs] == [("7", "Seven", None), ("R3", "Third", None)]
    assert len({d.source_hash for d in docs}) == 1
    assert [(s.reason, s.fatal) for s in skips] == [('JSON record 2: no "text" (kept 2 other records)', False),
                                                    ("JSON record 4: not a JSON object (kept 2 other records)", False)]


@pytest.mark.parametrize("content, reason", [
    ('{"text": "unterminated', "invalid JSON: Unterminated string starting at (line 1, column 10)"),
    ("42", "JSON file must hold an object or a list of objects"),
    ('{"title": "no text"}', 'no usable records (JSON object: no "text")'),
    ("[]", "empty file (no records)"),
])
def test_bad_json_files(tmp_path, content, reason):
    item = read_one(write(tmp_path / "bad.json", content))
    assert isinstance(item, Skipped) and item.fatal and item.reason == reason


def test_jsonl_broken_lines_are_reported_and_good_records_kept(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Alpha"}), "", '{"id": "b", "text": ', json.dumps({"text": "Gamma"}),
             json.dumps({"id": "d"}), json.dumps({"id": "a", "text": "Alpha again"})]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    docs, skips = docs_and_skips(read_file(path))
    assert [(d.record_id, d.text) for d in docs] == [("a", "Alpha"), ("L4", "Gamma")]
    assert [(s.reason, s.fatal) for s in skips] == [
        ("JSON Lines line 3: invalid JSON (kept 2 other records)", False),
        ('JSON Lines line 5: no "text" (kept 2 other records)', False),
        ("JSON Lines line 6: duplicate id 'a' (kept 2 other records)", False)]


def test_jsonl_invalid_utf8_line_loses_only_that_line(tmp_path):
    content = b'{"text": "Good one"}\n{"text": "Caf\xe9"}\n{"text": "Good two"}\n'
    docs, skips = docs_and_skips(read_file(write(tmp_path / "mixed.jsonl", content)))
    assert [d.text for d in docs] == ["Good one", "Good two"]
    assert [s.reason for s in skips] == ["JSON Lines line 2: not valid UTF-8 text (kept 2 other records)"]


def test_jsonl_all_lines_bad_is_one_fatal_skip(tmp_path):
    item = read_one(write(tmp_path / "bad.jsonl", "not json\n{}\n"))
    assert item.fatal and item.reason == 'no usable records (JSON Lines line 1: invalid JSON; JSON Lines line 2: no "text")'


def test_jsonl_many_bad_lines_are_capped(tmp_path):
    lines = ['{"text": "Kept"}'] + ["{broken"] * (readers.MAX_RECORD_PROBLEMS + 5)
    docs, skips = docs_and_skips(read_file(write(tmp_path / "noisy.jsonl", "\n".join(lines))))
    assert len(docs) == 1 and len(skips) == readers.MAX_RECORD_PROBLEMS + 1
    assert skips[-1].reason == "5 more bad records not listed (kept 1 other records)"


def test_jsonl_utf16(tmp_path):
    content = '{"text": "Żółw"}\r\n{"text": "Velmora"}\r\n'.encode("utf-16")
    docs, skips = docs_and_skips(read_file(write(tmp_path / "wide.jsonl", content)))
    assert [d.text for d in docs] == ["Żółw", "Velmora"] and not skips


# --- PDF -----------------------------------------------------------------------------------------

def test_pdf_text_layer(tmp_path):
    path = write(tmp_path / "report.pdf", make_pdf(["Ferry plan approved\nVelmora council", "Second page text"]))
    doc = read_one(path)
    assert doc.text == "Ferry plan approved\nVelmora council\n\nSecond page text"
    assert doc.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_without_text_layer(tmp_path):
    item = read_one(write(tmp_path / "scan.pdf", make_pdf([None, None])))
    assert item == Skipped(str((tmp_path / "scan.pdf").resolve()), "PDF has no text layer (scanned?)")


def test_pdf_with_password(tmp_path):
    item = read_one(write(tmp_path / "locked.pdf", encrypted(make_pdf(["Secret ferry plan"]), "secret")))
    assert isinstance(item, Skipped) and item.reason == "PDF is encrypted (password required)"


def test_pdf_encrypted_with_empty_password_is_read(tmp_path):
    doc = read_one(write(tmp_path / "open.pdf", encrypted(make_pdf(["Open ferry plan"]), "")))
    assert doc.text == "Open ferry plan"


def test_damaged_pdf(tmp_path):
    item = read_one(write(tmp_path / "broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n"))
    assert isinstance(item, Skipped) and item.fatal and item.reason.startswith("not a readable PDF")


# --- files and folders ---------------------------------------------------------------------------

def test_too_large_file(tmp_path):
    item = read_one(write(tmp_path / "big.txt", "x" * 100), max_bytes=10)
    assert isinstance(item, Skipped) and item.reason == "file too large (100 bytes; limit 10 bytes)"
    assert isinstance(read_one(tmp_path / "big.txt", max_bytes=100), RawDocument)


def test_unsupported_suffix(tmp_path):
    path = write(tmp_path / "report.docx", b"PK\x03\x04")
    assert read_one(path) == Skipped(str(path.resolve()), "unsupported file type .docx")
    assert list(iter_files([path])) == [Skipped(str(path), "unsupported file type .docx")]
    assert list(iter_files([write(tmp_path / "README", "x")]))[0].reason == "unsupported file type (no extension)"


def test_suffix_is_case_insensitive(tmp_path):
    assert read_one(write(tmp_path / "LOUD.TXT", ARTICLE)).text == ARTICLE


def test_missing_path(tmp_path):
    missing = tmp_path / "nowhere"
    assert list(iter_files([missing])) == [Skipped(str(missing), "no such file or directory")]
    assert read_one(tmp_path / "gone.txt").reason == "no such file or directory"


def test_walk_is_recursive_sorted_and_skips_hidden(tmp_path):
    for name in ["b.txt", "a.md", "sub/z.json", "sub/deeper/c.htm", ".hidden.txt", ".git/config.txt", "sub/.cache/x.txt"]:
        write(tmp_path / name, ARTICLE)
    found = list(iter_files([tmp_path]))
    assert found == [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub/deeper/c.htm", tmp_path / "sub/z.json"]


def test_explicit_files_and_relative_paths(tmp_path, monkeypatch):
    write(tmp_path / "one.txt", ARTICLE)
    monkeypatch.chdir(tmp_path)
    assert list(iter_files(["one.txt", Path("one.txt")])) == [tmp_path / "one.txt"]  # listed once


def test_names_with_spaces_and_non_latin_characters(tmp_path):
    path = write(tmp_path / "Ферри папка" / "plan – 渡船 notes.txt", ARTICLE)
    assert list(iter_files([tmp_path])) == [path]
    doc = read_one(path)
    assert doc.source == str(path.resolve()) and doc.text == ARTICLE


def test_directory_symlink_loop(tmp_path):
    write(tmp_path / "top" / "a.txt", ARTICLE)
    (tmp_path / "top" / "sub").mkdir()
    (tmp_path / "top" / "sub" / "back").symlink_to(tmp_path / "top")
    found = list(iter_files([tmp_path / "top"]))
    assert found == [tmp_path / "top/a.txt",
                     Skipped(str(tmp_path / "top/sub/back"), "symlink loop (leads back to a folder above it)")]


def test_self_referencing_symlink(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert list(iter_files([tmp_path])) == [Skipped(str(loop), "symlink loop")]
    assert read_one(loop).reason == "symlink loop"


def test_broken_symlink(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    assert list(iter_files([tmp_path])) == [Skipped(str(tmp_path / "dangling.txt"), "broken symbolic link")]


def test_symlinked_file_and_folder_are_read_once(tmp_path):
    real = write(tmp_path / "data" / "a.txt", ARTICLE)
    (tmp_path / "link.txt").symlink_to(real)
    (tmp_path / "zlink").symlink_to(tmp_path / "data")
    assert list(iter_files([tmp_path])) == [real]


def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert list(iter_files([tmp_path])) == [Skipped(str(fifo), "not a regular file")]
    assert read_one(fifo).reason == "not a regular file"


def test_directory_named_like_a_file_is_walked(tmp_path):
    inner = write(tmp_path / "folder.txt" / "inner.txt", ARTICLE)
    assert list(iter_files([tmp_path])) == [inner]
    assert read_one(tmp_path / "folder.txt").reason == "is a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder(tmp_path):
    path = write(tmp_path / "secret.txt", ARTICLE)
    folder = tmp_path / "locked"
    write(folder / "inside.txt", ARTICLE)
    path.chmod(0)
    folder.chmod(0)
    try:
        assert read_one(path).reason == "permission denied"
        assert Skipped(str(folder), "permission denied") in list(iter_files([tmp_path]))
    finally:
        path.chmod(0o644)
        folder.chmod(0o755)


def test_permission_error_while_reading(tmp_path, monkeypatch):
    # Runs as root too (where chmod 000 does not block reading): the OS refusal is simulated.
    path = write(tmp_path / "secret.txt", ARTICLE)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    assert read_one(path) == Skipped(str(path.resolve()), "permission denied")


def test_read_paths_keeps_going_past_bad_files(tmp_path):
    write(tmp_path / "1-good.txt", ARTICLE)
    write(tmp_path / "2-binary.txt", b"\x00\x01\x02")
    write(tmp_path / "3-feed.jsonl", '{"text": "One"}\nnot json\n{"text": "Two"}\n')
    write(tmp_path / "4-empty.md", "")
    write(tmp_path / "5-page.html", "<p>Page text</p>")
    write(tmp_path / "6-other.csv", "a,b")
    items = list(read_paths([tmp_path, tmp_path / "missing"]))
    docs, skips = docs_and_skips(items)
    assert [d.text for d in docs] == [ARTICLE, "One", "Two", "Page text"]
    assert [(Path(s.source).name, s.reason, s.fatal) for s in skips] == [
        ("2-binary.txt", "not a text file (binary data)", True),
        ("3-feed.jsonl", "JSON Lines line 2: invalid JSON (kept 2 other records)", False),
        ("4-empty.md", "empty file", True),
        ("6-other.csv", "unsupported file type .csv", True),
        ("missing", "no such file or directory", True)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
       suffix=st.sampled_from(sorted(readers.SUPPORTED_SUFFIXES)))
def test_any_bytes_give_documents_or_skips_never_exceptions(tmp_path, data, suffix):
    for item in read_file(write(tmp_path / f"fuzz{suffix}", data)):
        assert isinstance(item, (RawDocument, Skipped))
        if isinstance(item, RawDocument):
            assert item.text and item.text == item.text.strip() and "\r" not in item.text
        else:
            assert item.reason


def test_pathologically_deep_html_is_skipped_with_a_reason(tmp_path):
    """The parser slows down faster than linearly with depth; a page nested deeper
    than any real article is refused quickly instead of stalling the run."""
    from indexer.formats.html import MAX_NESTING, nesting_depth

    deep = "<html><body><p>Quay notes.</p>" + "<div>" * (MAX_NESTING + 1) + "x" + "</div>" * (MAX_NESTING + 1)
    path = tmp_path / "deep.html"
    path.write_text(deep + "</body></html>", encoding="utf-8")
    [item] = list(read_file(path))
    assert isinstance(item, Skipped)
    assert "nested more than" in item.reason
    assert nesting_depth(b"<div><br><img src=x><p>a</p><div/></div>") == 2


def test_site_chrome_before_the_headline_is_left_out(tmp_path):
    page = ('<html><head><title>Ferry timetable changes</title></head><body>'
            '<div class="top"><a href="/login">Sign in</a> <a href="/n">Newsletter</a></div>'
            '<div class="content"><h1>Ferry timetable changes</h1><p>Boats to Lindholm leave earlier.</p></div>'
            '</body></html>')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [doc] = list(read_file(path))
    assert doc.text.startswith("Ferry timetable changes")
    assert "Sign in" not in doc.text and "Boats to Lindholm leave earlier." in doc.text
