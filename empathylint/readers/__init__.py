"""Readers turn a file (or stdin) into `Source` objects: the text to lint, an offset map back to the
file, optional customer context, and the record's id and title.

A reader is registered under a format name with the file extensions it claims; ``--input-format`` picks
one explicitly. Readers never import spaCy and never see rules.
"""

from __future__ import annotations

import fnmatch
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from ..errors import InputError
from ..source import Source, SourceFile

#: Whole files above this size are refused with advice; streaming formats (JSONL) have no limit.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """Reader settings: which fields of a record hold the reply, the customer message, the id and title,
    and a customer message to attach to every source that has none; for conversation exports, which
    fields hold each message's conversation, role, author and time (``text_field`` its text, ``id_field``
    its id)."""

    text_field: str | None = None
    customer_field: str | None = None
    id_field: str | None = None
    title_field: str | None = None
    customer: str | None = None
    conversation_field: str | None = None
    role_field: str | None = None
    author_field: str | None = None
    time_field: str | None = None


WholeFileReader = Callable[[SourceFile, ReadOptions], Iterable[Source]]
StreamReader = Callable[[str, BinaryIO, ReadOptions], Iterable[Source]]


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    extensions: tuple[str, ...]
    read: WholeFileReader | None = None
    stream: StreamReader | None = None
    description: str = ""


READERS: dict[str, ReaderSpec] = {}
#: Readers that take over a file of another format by its content (a ``.json`` file that is a twitter-care
#: conversation export): {format: [(whether the text is theirs, reader)]}. Only when no --input-format is given.
DETECTORS: dict[str, list[tuple[Callable[[str], bool], WholeFileReader]]] = {}


def register_reader(name: str, extensions: Iterable[str] = (), *, streaming: bool = False,
                    description: str = "") -> Callable:
    """Register a reader function under ``name`` for ``extensions`` (``".txt"``). A streaming reader
    takes ``(path, binary stream, options)`` (JSONL, read a record at a time; email, which needs the raw
    bytes to decode each part with its own charset); a whole-file reader takes ``(SourceFile, options)``."""

    def register(func: Callable) -> Callable:
        READERS[name] = ReaderSpec(name, tuple(e.lower() for e in extensions),
                                   stream=func if streaming else None,
                                   read=None if streaming else func, description=description)
        return func

    return register


def register_detector(format_name: str, claims: Callable[[str], bool]) -> Callable:
    """Register a whole-file reader for the files of ``format_name`` whose text ``claims`` says is theirs."""

    def register(func: WholeFileReader) -> WholeFileReader:
        DETECTORS.setdefault(format_name, []).append((claims, func))
        return func

    return register


def reader_for(path: str, input_format: str | None = None) -> ReaderSpec:
    """The reader named by ``input_format``, else the one claiming the file's extension, else plain text."""
    if input_format:
        try:
            return READERS[input_format]
        except KeyError:
            raise InputError(path, f"unknown input format '{input_format}'; known: "
                             f"{', '.join(sorted(READERS))}") from None
    name = path.lower()
    best = None
    for spec in READERS.values():
        for ext in spec.extensions:
            if name.endswith(ext) and (best is None or len(ext) > len(best[0])):
                best = (ext, spec)
    return best[1] if best else READERS["text"]


def known_extensions() -> set[str]:
    return {ext for spec in READERS.values() for ext in spec.extensions}


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file (a leading BOM dropped); binary or mis-encoded input is an `InputError`."""
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file (it contains NUL bytes); lint text files only")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "save it as UTF-8", line) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_stream(path: str, stream: BinaryIO, options: ReadOptions = ReadOptions(),
                input_format: str | None = None) -> Iterator[Source]:
    """Sources from an open binary stream (a file or stdin) shown to users as ``path``."""
    spec = reader_for(path, input_format)
    if spec.stream is not None:
        yield from _with_customer(spec.stream(path, stream, options), options)
        return
    file = read_whole(path, stream)
    read = spec.read
    if input_format is None:
        read = next((reader for claims, reader in DETECTORS.get(spec.name, ()) if claims(file.text)), read)
    yield from _with_customer(read(file, options), options)


def read_whole(path: str, stream: BinaryIO, streamed: str = "JSONL") -> SourceFile:
    """The whole of a file that is not read as a stream; `InputError` if it is too large (``streamed``:
    the format to suggest instead), not UTF-8, or empty."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, f"is larger than {MAX_FILE_BYTES // 2**20} MiB; split it, or use {streamed}, "
                         "which is read as a stream")
    file = SourceFile(path, decode(path, data))
    if not file.text.strip():
        raise InputError(path, "is empty: there is no reply to lint")
    return file


def read_path(path: str | Path, options: ReadOptions = ReadOptions(),
              input_format: str | None = None) -> Iterator[Source]:
    """Sources from a file; ``-`` is stdin. Errors are `InputError`s naming the file."""
    shown = str(path)
    if shown == "-":
        stream: BinaryIO = sys.stdin.buffer
        if input_format is None:
            stream, input_format = _sniff_stdin(stream)
        yield from read_stream("<stdin>", stream, options, input_format)
        return
    try:
        stream = open(path, "rb")
    except FileNotFoundError:
        raise InputError(shown, "no such file") from None
    except IsADirectoryError:
        raise InputError(shown, "is a folder with no files to lint (looked for "
                         f"{', '.join(sorted(known_extensions()))})") from None
    except OSError as exc:
        raise InputError(shown, f"cannot be read: {exc.strerror or exc}") from None
    with stream:
        yield from read_stream(shown, stream, options, input_format)


def iter_paths(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[str]:
    """Expand folders into the files with a known extension (sorted, hidden folders skipped); plain
    paths are passed through so that a missing file is reported by `read_path`."""
    patterns = tuple(exclude)
    extensions = tuple(known_extensions())

    def excluded(p: str) -> bool:
        return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(os.path.basename(p), pat) for pat in patterns)

    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded(os.path.join(root, d)))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.lower().endswith(extensions) and not excluded(full):
                        found = True
                        yield full
            if not found:
                yield path  # read_path reports the folder as having nothing to lint
        elif not excluded(path):
            yield path


def _sniff_stdin(stream: BinaryIO) -> tuple[BinaryIO, str]:
    """Stdin read whole, and its format: ``email`` when it starts with mail headers (a raw RFC 822
    message), else ``text``."""
    from .eml import looks_like_email

    data = stream.read(MAX_FILE_BYTES + 1)
    return io.BytesIO(data), "email" if looks_like_email(data[:65536]) else "text"


def _with_customer(sources: Iterable[Source], options: ReadOptions) -> Iterator[Source]:
    for source in sources:
        if options.customer and not source.customer:
            source.customer = options.customer
        yield source


def _conversations(name: str) -> Callable:
    """A function of `empathylint.conversations.formats`, imported when first called (that package
    builds on this one, so it cannot be imported while this one loads)."""

    def call(*args):
        from ..conversations import formats

        return getattr(formats, name)(*args)

    call.__name__ = call.__qualname__ = name
    return call


# Register the built-in readers.
from . import (  # noqa: E402,F401
    csv_reader, eml, html, json_reader, jsonl, markdown, plain, template, yaml_reader, zendesk)

register_reader("conversations", streaming=True, description="a conversation export: twitter-care JSON, or one "
                "message per JSONL line or CSV row; each agent message is a reply")(_conversations("read_sources"))
register_detector("json", _conversations("looks_like_twitter_care"))(_conversations("twitter_care_sources"))
