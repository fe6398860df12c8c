"""The command line: ``empathylint check``, ``empathylint rules`` and the classifier's commands.

Exit codes (`ExitCode`): 0 no problem at or above ``--fail-on``; 1 problems found; 2 an error (bad
usage, config or rule file, a missing pipeline, or an input that could not be read: the other inputs
are still linted and reported; also a bug, reported in one line as an internal error, so that a crash is
never read as "problems found").
"""

from __future__ import annotations

import enum
import json
import sys
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from . import __version__
from .classifier.precision import PRECISIONS
from .config import EMPTY_SELECT, Config, ConfigResolver, find_config, load_config, split_selectors
from .diagnostic import Severity
from .errors import ConfigError, EmpathylintError, InputError

if TYPE_CHECKING:
    from .fixes import FixReport

SEVERITIES = click.Choice(["error", "warning", "info"], case_sensitive=False)


class ExitCode(enum.IntEnum):
    OK = 0
    PROBLEMS = 1
    ERROR = 2


class EmpathylintGroup(click.Group):
    """The command group; an exception that escapes a command and Click alike is a bug in empathylint."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except (click.ClickException, click.Abort):  # raised to the caller outside standalone mode
            raise
        except Exception as exc:
            problem = " ".join(f"{type(exc).__name__}: {exc}".split())
            click.echo(f"empathylint: internal error: {problem}", err=True)
            sys.exit(ExitCode.ERROR)


@click.group(cls=EmpathylintGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="empathylint")
def main() -> None:
    """Lint drafted customer-support replies for condescension, blame, excuses, hollow apologies and tone."""


def parse_label_map(value: str | None) -> dict[str, str] | None:
    """``"LABEL_0=negative,LABEL_1=positive"`` (or a JSON object) → a dict."""
    if not value:
        return None
    if value.lstrip().startswith("{"):
        try:
            data = json.loads(value)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(f"not valid JSON: {exc.msg}") from None
        return {str(k): str(v) for k, v in data.items()}
    pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
    if any(len(p) != 2 for p in pairs):
        raise click.BadParameter("use LABEL=SENTIMENT pairs separated by commas")
    return {k.strip(): v.strip() for k, v in pairs}


def build_config(config_path: str | None, **cli) -> Config:
    """The config file (``--config`` or the nearest one) overridden by command-line options."""
    path = Path(config_path) if config_path else find_config()
    return apply_overrides(load_config(path), **cli)


def apply_overrides(config: Config, **cli) -> Config:
    """``config`` with the command-line options that were given."""
    changes = {}
    if cli.get("select"):
        changes["select"] = split_selectors(cli["select"])
        if not changes["select"]:
            raise click.BadParameter(EMPTY_SELECT, param_hint="--select")
    if cli.get("ignore"):
        changes["ignore"] = config.ignore + split_selectors(cli["ignore"])
    if cli.get("fail_on"):
        changes["fail_on"] = Severity.parse(cli["fail_on"])
    if cli.get("extra_rules"):
        changes["extra_rules"] = config.extra_rules + tuple(str(Path(p).resolve()) for p in cli["extra_rules"])
    if cli.get("no_model"):
        changes["use_model"] = False
    if cli.get("model"):
        changes["model"], changes["use_model"] = cli["model"], True
    if cli.get("label_map"):
        changes["label_map"] = cli["label_map"]
    if cli.get("precision"):
        changes["precision"] = cli["precision"]
    return config.with_(**changes)


def _read_customer(value: str | None) -> str | None:
    if value is None:
        return None
    from .readers import decode

    try:
        return decode(value, Path(value).read_bytes())
    except FileNotFoundError:
        raise click.BadParameter(f"{value}: no such file (pass the customer's message in a file)",
                                 param_hint="--customer") from None
    except OSError as exc:  # a folder, no permission
        raise click.BadParameter(f"{value}: cannot be read: {exc.strerror or exc}", param_hint="--customer") from None
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--customer") from None


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option("--customer", metavar="FILE", help="The customer's message the reply answers (enables the "
              "checks that compare the two, e.g. missing apology).")
@click.option("-f", "--format", "output_format", default="text", show_default=True,
              help="Output format: text, json, sarif, github, junit (and any other registered format).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE.")
@click.option("--select", multiple=True, metavar="SEL", help="Only these rules: codes, code prefixes, "
              "names or categories (comma-separated or repeated).")
@click.option("--ignore", multiple=True, metavar="SEL", help="Skip these rules (same selectors).")
@click.option("--fail-on", type=SEVERITIES, help="Lowest severity that makes the exit code 1 "
              "[default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option("--statistics", is_flag=True, help="Print counts per rule after the diagnostics.")
@click.option("--no-model", is_flag=True, help="Rules only: do not load the tone classifier. Misses hostile or impolite sentences no rule lists (TON001/TON002), the behaviour families in wording no rule lists (the *100 findings: CND100 ... CLO100; on the held-out family test part the rules alone catch 0-33% of paraphrases, with the model 33-97%) and paraphrases of the customer's issue (acknowledgement is judged by shared words only).")
@click.option("--model", metavar="NAME_OR_PATH", help="A Hugging Face sequence-classification model "
              "(local folder or hub name) to use as the sentiment head.")
@click.option("--label-map", metavar="LABEL=SENTIMENT,...", help="Map --model's labels to "
              "negative/neutral/positive.")
@click.option("--precision", type=click.Choice(PRECISIONS), help="The tone model's arithmetic: auto (bfloat16 "
              "on CPUs with bfloat16 instructions, else float32), float32 (the reference), bfloat16, int8 "
              "[default: auto].")
@click.option("--input-format", metavar="NAME", help="Read inputs as this format instead of guessing "
              "from the extension (e.g. conversations: a conversation export, each agent message a reply).")
@click.option("--text-field", metavar="FIELD", help="Record field holding the reply (JSON/CSV/YAML), or a "
              "conversation export's message text [default there: text].")
@click.option("--customer-field", metavar="FIELD", help="Record field holding the customer's message.")
@click.option("--id-field", metavar="FIELD", help="Record field holding the record's id (in a conversation "
              "export, the message id [default: message_id, else its place in the conversation]).")
@click.option("--title-field", metavar="FIELD", help="Record field holding the record's title.")
@click.option("--conversation-field", metavar="FIELD", help="Conversation export: the field holding each "
              "message's conversation id [default: conversation_id].")
@click.option("--role-field", metavar="FIELD", help="Conversation export: the field holding who wrote the "
              "message: customer, agent, bot or note [default: role].")
@click.option("--author-field", metavar="FIELD", help="Conversation export: the field holding the message's "
              "author [default: author].")
@click.option("--time-field", metavar="FIELD", help="Conversation export: the field holding when the message "
              "was sent, ISO 8601 [default: timestamp].")
@click.option("--extra-rules", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="A folder of extra rule packs (repeatable).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="Config file (default: the nearest .empathylint.toml or pyproject.toml).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("-q", "--quiet", is_flag=True, help="One line per diagnostic, no summary.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not recorded in FILE; when FILE does not exist, record this run's "
              "findings there and exit 0.")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR", envvar="EMPATHYLINT_CACHE_DIR",
              help="Keep results of unchanged replies here, so re-runs skip them [default: the user cache "
              "folder, e.g. ~/.cache/empathylint].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Worker processes for large inputs; 0: one per core once there are more than a few "
              "batches of replies.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the parsing and matching run: here, or on Ray actors (pip install \"empathylint[ray]\"); "
              "the same diagnostics in the same order.")
@click.option("--ray-address", metavar="ADDRESS", help="--engine ray: the cluster to join (ray://head:10001, "
              "auto) [default: start a local Ray with --jobs CPUs].")
@click.option("--fix", is_flag=True, help="Apply the fixes marked safe to the files (each written atomically), "
              "then report and judge only what is left.")
def check(paths, customer, output_format, output, select, ignore, fail_on, exit_zero, statistics, no_model,
          model, label_map, precision, input_format, text_field, customer_field, id_field, title_field,
          conversation_field, role_field, author_field, time_field, extra_rules, config_path, color, quiet,
          baseline_path, cache_dir, no_cache, jobs, engine, ray_address, fix) -> None:
    """Lint replies in files, folders or stdin (-)."""
    from .baseline import open_baseline
    from .cache import ResultCache, default_cache_dir
    from .formatters import FORMATTERS, FormatOptions, Summary
    from .linter import Linter
    from .readers import ReadOptions, iter_paths, read_path

    if not paths:
        raise click.UsageError("give the files or folders to lint, or - to read a reply from stdin")
    if output_format not in FORMATTERS:
        raise click.BadParameter(f"unknown format '{output_format}'; use one of {', '.join(sorted(FORMATTERS))}",
                                 param_hint="--format")
    overrides = dict(select=select, ignore=ignore, fail_on=fail_on, extra_rules=extra_rules, no_model=no_model,
                     model=model, label_map=parse_label_map(label_map), precision=precision)
    try:
        configs = ConfigResolver(Path(config_path) if config_path else None,
                                 lambda found: apply_overrides(found, **overrides))
        config = configs.for_path(".")
        cache: ResultCache | bool = False if no_cache else ResultCache(cache_dir or default_cache_dir())
        linter = Linter(config, cache=cache)
        baseline = open_baseline(baseline_path) if baseline_path else None
    except EmpathylintError as exc:
        _fail(exc)
    options = ReadOptions(text_field, customer_field, id_field, title_field, _read_customer(customer),
                          conversation_field, role_field, author_field, time_field)
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    use_color = (out.isatty() if color is None else color) and not output
    formatter = FORMATTERS[output_format](out, linter.rules, FormatOptions(
        color=use_color, statistics=statistics, quiet=quiet))
    summary = Summary()
    read_errors = 0

    failing = 0
    linters = {config.path: linter}
    if engine == "ray":
        from .engines.ray import import_ray

        try:
            import_ray()
        except EmpathylintError as exc:
            _fail(exc)

    def pool_for(file_config: Config):
        """The Ray actors that lint for this config (None: the local workers)."""
        if engine != "ray":
            return None
        from .engines.ray import RayFindingsPool
        from .workers import available_cores

        return RayFindingsPool(file_config, jobs or available_cores(), ray_address)

    def sources(group) -> Iterator:
        nonlocal read_errors
        for path in group:
            try:
                yield from read_path(path, options, input_format)
            except InputError as exc:
                read_errors += 1
                formatter.error(exc)

    def results() -> Iterator:
        """Each file is linted with the config found upward from it; runs of files sharing a config
        share one stream of batches."""
        for _, group in groupby(iter_paths(paths, config.exclude), key=lambda p: configs.for_path(p).path):
            group = list(group)
            file_config = configs.for_path(group[0])
            if file_config.path not in linters:
                linters[file_config.path] = Linter(file_config, cache=cache)
            for result in linters[file_config.path].lint_sources(sources(group), jobs=jobs,
                                                                 pool=pool_for(file_config)):
                yield file_config, result

    fix_reports: list[FixReport] = []

    def reported() -> Iterator:
        """The results after the baseline (and, with --fix, without the findings that were fixed)."""
        stream = results()
        if baseline is not None:
            stream = ((c, baseline.apply(r)) for c, r in stream)
        if fix:
            from .fixes import fix_stream

            stream = fix_stream(stream, lambda report: fix_reports.append(_echo_fix(report)))
        return stream

    try:
        formatter.start()
        for file_config, result in reported():
            failing += sum(d.severity >= file_config.fail_on for d in result.diagnostics)
            summary.add(result)
            formatter.result(result)
        formatter.finish(summary)
        if baseline is not None:
            click.echo(f"empathylint: {baseline.close()}", err=True)
    except EmpathylintError as exc:
        _fail(exc)
    finally:
        if output:
            out.close()
        if cache:
            cache.close()
    if fix:
        applied = sum(r.applied for r in fix_reports)
        files = sum(bool(r.applied) for r in fix_reports)
        click.echo(f"empathylint: applied {applied} safe fix{'es' * (applied != 1)} in {files} "
                   f"file{'s' * (files != 1)}", err=True)
    if read_errors or summary.errors or any(r.failed for r in fix_reports):
        sys.exit(ExitCode.ERROR)
    if not exit_zero and not (baseline and baseline.recording) and failing:
        sys.exit(ExitCode.PROBLEMS)
    sys.exit(ExitCode.OK)


def _echo_fix(report: "FixReport") -> "FixReport":
    """Say what --fix did to one file (on stderr, so that the report on stdout stays machine-readable)."""
    if report.applied:
        click.echo(f"empathylint: {report.path}: applied {report.applied} fix{'es' * (report.applied != 1)}",
                   err=True)
    elif report.skipped:
        click.echo(f"empathylint: {report.path}: {report.skipped}", err=True)
    return report


def _fail(exc: Exception) -> None:
    click.echo(f"empathylint: error: {exc}", err=True)
    sys.exit(ExitCode.ERROR)


@main.command()
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@click.option("--category", help="Only rules of this category.")
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
@click.option("--extra-rules", multiple=True, type=click.Path(file_okay=False, exists=True))
def rules(rule, category, output_format, extra_rules) -> None:
    """List the rules, or print one rule's page: what it flags, why, examples, what to say instead."""
    from . import rule_docs
    from .conversations.findings import conversation_rules
    from .rules.registry import RuleSet

    try:
        ruleset = RuleSet([*RuleSet.load(extra_rules), *conversation_rules()])  # + the report's CNV findings
    except EmpathylintError as exc:
        _fail(exc)
    if rule:
        found = ruleset.get(rule)
        if found is None:
            _fail(ConfigError(f"no rule '{rule}'; `empathylint rules` lists them"))
        pages = {"text": rule_docs.page_text, "markdown": rule_docs.page_markdown,
                 "json": lambda r: json.dumps(rule_docs.rule_dict(r), indent=2)}
        click.echo(pages[output_format](found))
        return
    selected = [r for r in ruleset if category is None or r.category == category]
    if category and not selected:
        _fail(ConfigError(f"no rules in category '{category}'"))
    listing = {"text": rule_docs.table_text, "markdown": rule_docs.table_markdown,
               "json": lambda rs: json.dumps([rule_docs.rule_dict(r) for r in rs], indent=2)}
    click.echo(listing[output_format](selected))


from .server.cli import serve as serve_command  # noqa: E402  (imports FastAPI only when it runs)
from .lsp.cli import lsp as lsp_command  # noqa: E402  (imports pygls only when it runs)


def _add_optional_commands() -> None:
    from .classifier.cli import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_optional_commands()
main.add_command(serve_command)
main.add_command(__import__("empathylint.report.cli", fromlist=["report"]).report)  # `empathylint report`
main.add_command(lsp_command)

if __name__ == "__main__":  # pragma: no cover
    main()
