"""``empathylint report``: a team's conversation history in, an offline report out (HTML, JSON, CSV).

    empathylint report ../shared/data/twitter-care/dev.json -o report/

writes ``report/report.html`` (open it from disk), ``report/report.json`` (schema
``empathylint/schemas/report-v1.json``), ``report/tables/*.csv`` (and ``.parquet`` with pyarrow),
``report/conversations.jsonl`` (every conversation with its findings), ``report/messages/part-*.jsonl`` (and
``.parquet``: each agent message with its diagnostics, for a warehouse) and a checkpoint to ``--resume`` from.
``--engine ray`` runs the same batches on Ray actors (`engines.ray`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from itertools import chain
from pathlib import Path
from typing import Any, Iterator

import click

LAYOUT_NAMES = ("auto", "twitter-care", "jsonl", "csv", "zendesk", "tweets")


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|FOLDER|URI...")
@click.option("-o", "--output", "output_dir", default="empathylint-report", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the report into.")
@click.option("--layout", type=click.Choice(LAYOUT_NAMES), default="auto", show_default=True,
              help="The export's layout (auto: told by extension and first line).")
@click.option("--period", type=click.Choice(["day", "week", "month"]), default="week", show_default=True,
              help="The period of the trends.")
@click.option("--first-response-target", default="1h", show_default=True, metavar="DURATION",
              help="The team's first-response target (90m, 4h, 1d).")
@click.option("--reply-target", default="4h", show_default=True, metavar="DURATION",
              help="The team's target for every later reply.")
@click.option("--business-hours", metavar="'Mon-Fri 09:00-17:00'", help="Count waits in these hours only.")
@click.option("--timezone", "zone", metavar="ZONE", help="The business hours' time zone (e.g. Europe/Berlin) "
              "[default: UTC].")
@click.option("--no-model", is_flag=True, help="Rules only: no tone model, no sentence encoder (complaint "
              "topics by the kind of problem; repeated replies by their words only).")
@click.option("--no-redact", is_flag=True, help="Keep emails, phone, card and order numbers in quoted text.")
@click.option("--resume", is_flag=True, help="Go on from the checkpoint in the output folder.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Conversations per batch.")
@click.option("--checkpoint-every", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="Write a checkpoint every N batches.")
@click.option("--open-conversations", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Message-per-record exports: conversations held open at once.")
@click.option("--conversation-field", metavar="FIELD", help="JSONL/CSV: the conversation id field.")
@click.option("--role-field", metavar="FIELD", help="JSONL/CSV: who wrote it (customer, agent, bot, note).")
@click.option("--author-field", metavar="FIELD", help="JSONL/CSV: the author field.")
@click.option("--time-field", metavar="FIELD", help="JSONL/CSV: the timestamp field.")
@click.option("--text-field", metavar="FIELD", help="JSONL/CSV: the message text field.")
@click.option("--id-field", metavar="FIELD", help="JSONL/CSV: the message id field.")
@click.option("--channel-field", metavar="FIELD", help="JSONL/CSV: the channel field.")
@click.option("--macro-field", metavar="FIELD", help="JSONL/CSV: the macro (canned response) id field.")
@click.option("--tags-field", metavar="FIELD", help="JSONL/CSV: the tags field.")
@click.option("--status-field", metavar="FIELD", help="JSONL/CSV: the status field.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Worker processes; 0: one per core.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the batches run: this machine, or Ray actors (pip install \"empathylint[ray]\").")
@click.option("--ray-address", metavar="ADDRESS", help="--engine ray: the cluster to join (ray://head:10001, "
              "auto) [default: start a local Ray with --jobs CPUs].")
@click.option("--progress/--no-progress", default=None, help="A progress line on stderr [default: on a terminal].")
@click.option("--title", help="The report's title.")
def report(paths, output_dir, layout, period, first_response_target, reply_target, business_hours, zone, no_model,
           no_redact, resume, batch_size, checkpoint_every, open_conversations, conversation_field, role_field,
           author_field, time_field, text_field, id_field, channel_field, macro_field, tags_field, status_field,
           jobs, engine, ray_address, progress, title) -> None:
    """Report on a team's conversation history: waits, promises, complaint topics, warnings, macros."""
    from ..conversations.fields import MessageFields
    from ..conversations.findings import Settings
    from ..conversations.waits import BusinessHours, parse_duration_spec
    from ..report.batch import ReportSettings

    try:
        hours = BusinessHours.parse(business_hours, zone) if business_hours else None
        targets = Settings(parse_duration_spec(first_response_target), parse_duration_spec(reply_target), hours)
    except (ValueError, KeyError) as exc:
        raise click.BadParameter(str(exc)) from None
    given = {"conversation": conversation_field, "role": role_field, "author": author_field, "timestamp": time_field,
             "text": text_field, "message_id": id_field, "channel": channel_field, "macro_id": macro_field,
             "tags": tags_field, "status": status_field}
    fields = MessageFields(**{k: v for k, v in given.items() if v})
    settings = ReportSettings(period, targets, not no_redact)
    from ..engines import make_engine
    from ..errors import EmpathylintError

    try:
        document = run_report(list(paths), Path(output_dir), settings, fields, None if layout == "auto" else layout,
                              use_model=not no_model, resume=resume, batch_size=batch_size,
                              checkpoint_every=checkpoint_every, open_limit=open_conversations, progress=progress,
                              title=title, jobs=jobs, engine=make_engine(engine, ray_address, jobs))
    except EmpathylintError as exc:
        click.echo(f"empathylint: error: {exc}", err=True)
        sys.exit(2)
    from .summary import summary_text

    out = Path(output_dir)
    click.echo(summary_text(document, [str(out / "report.html"), str(out / "report.json"), str(out / "tables")]))


def run_report(paths: list[str], out: Path, settings: Any, fields: Any = None, layout: str | None = None, *,
               use_model: bool = True, resume: bool = False, batch_size: int = 64, checkpoint_every: int = 10,
               open_limit: int = 10_000, progress: bool | None = None, title: str | None = None,
               stop_after: int | None = None, linter: Any = None, encoder: Any = None, jobs: int = 1,
               engine: Any = None) -> dict[str, Any]:
    """Run the report over ``paths`` (files, folders of shards, URIs) into ``out``; the report document. (The
    CLI's body, for tests and the benchmark: ``stop_after`` stops as if killed after that many batches.)
    ``engine``: None runs the batches here (`engines.local`); an `engines.ray.RayEngine` runs them on Ray."""
    from ..config import find_config, load_config
    from ..conversations.fields import MessageFields
    from ..engines.local import Progress, run_local
    from ..linter import Linter
    from .batch import BatchAnalyzer
    from .document import build_document, dumps
    from .html import write_html
    from .tables import write_tables

    from ..workers import available_cores

    from ..engines.sinks import write_message_shards
    from ..engines.sources import expand_inputs
    from ..nlp.memory import release_free_memory

    paths = expand_inputs(paths)
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs or available_cores()
    if linter is None:
        linter = Linter(load_config(find_config()).with_(use_model=use_model), cache=False)
    if encoder is None and use_model:
        from ..classifier.embeddings import load_sentence_encoder

        encoder = load_sentence_encoder()
    fields = fields or MessageFields()
    analyse = BatchAnalyzer(settings, linter, encoder)
    key = _run_key(paths, settings, fields, layout, use_model, batch_size)
    items = chain.from_iterable(_items(p, layout, fields, open_limit) for p in paths)
    shown = Progress(enabled=progress, total=_lines(paths, layout))
    if engine is not None:
        from ..engines.ray import AnalyzerRecipe

        recipe = AnalyzerRecipe(settings, linter.config, use_model)
        partial = engine.run_report(items, recipe, out / "conversations.jsonl", key, batch_size, resume, shown,
                                    stop_after)
    else:
        partial = run_local(items, analyse, out / "conversations.jsonl", out / "checkpoint.json", key, batch_size,
                            checkpoint_every, resume, shown, stop_after, jobs)
    analyse.forget_model_caches()  # the scripts' embeddings, like every batch's, computed afresh
    document = build_document(partial, settings, encoder if use_model else None, linter.rules)
    release_free_memory()  # each writer below starts from what is in use, not from the scripts' peak
    document["inputs"] = [os.path.basename(p) for p in paths]
    (out / "report.json").write_text(dumps(document), encoding="utf-8")
    write_html(document, out / "conversations.jsonl", out / "report.html",
               title or f"empathylint report: {', '.join(document['inputs'])}")
    write_tables(document, out / "tables")
    write_message_shards(out / "conversations.jsonl", out / "messages")
    return document


def _items(path: str, layout: str | None, fields: Any, open_limit: int) -> Iterator[Any]:
    from ..conversations.model import BadRecord
    from ..engines.sources import read_conversations
    from ..errors import InputError
    from ..source import SourceFile

    from dataclasses import replace

    try:
        for item in read_conversations(path, layout, fields, open_limit):
            # the report needs each message's text, not where it is written (the file, the parser's nodes):
            # dropped, a batch is plain data that worker processes can be sent
            if isinstance(item, BadRecord):
                yield replace(item, file=SourceFile(item.file.path, "") if item.file else None)
            else:
                yield replace(item, messages=tuple(replace(m, location=None) for m in item.messages))
    except InputError as exc:
        click.echo(f"empathylint: error: {exc}", err=True)
        yield BadRecord(SourceFile(path, ""), None, f"{exc.problem}; file skipped")


#: What each layout writes once per message, counted for the progress bar's total.
_PER_MESSAGE = {"jsonl": b"\n", "csv": b"\n", "tweets": b"\n", "twitter-care": b'"tweet_ID"', "zendesk": b'"author_id"'}


def _lines(paths: list[str], layout: str | None) -> int | None:
    """About how many messages the inputs hold, for the progress bar: their lines, in a message-per-line
    or per-row export, or the fields written once per message (a twitter-care tweet id, a Zendesk comment's
    author), read in 1 MiB blocks; None for inputs read elsewhere (URIs, Parquet shards)."""
    from ..conversations.exports import detect_layout

    from ..engines.sources import is_uri

    if any(is_uri(p) or p.lower().endswith(".parquet") for p in paths):
        return None
    markers = [_PER_MESSAGE.get(layout or detect_layout(p)) for p in paths]
    if None in markers:
        return None
    total = 0
    for path, marker in zip(paths, markers):
        with open(path, "rb") as stream:
            tail = b""
            while block := stream.read(1 << 20):
                # a marker cut by a block's end is counted with the next block (the tail, shorter than a
                # marker, holds no whole one)
                data = tail + block
                total += data.count(marker)
                tail = data[len(data) - len(marker) + 1:] if len(marker) > 1 else b""
    return total


def _run_key(paths: list[str], settings: Any, fields: Any, layout: str | None, use_model: bool, batch: int) -> str:
    """What a checkpoint must match to be resumed from: the inputs (path, size, time) and every setting."""
    from ..engines.sources import input_stamp

    stats = [input_stamp(p) for p in paths]
    text = json.dumps([stats, repr(settings), repr(fields), layout, use_model, batch], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


if __name__ == "__main__":  # pragma: no cover
    report(sys.argv[1:])
