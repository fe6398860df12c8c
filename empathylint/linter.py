"""`Linter`: sources in, diagnostics out. Ties the pipeline, the rule selection, suppressions and the
offset maps together; knows nothing about files on disk, command lines or HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from .config import Config
from .diagnostic import Diagnostic, Fix, Severity
from .errors import InputError
from .rules.model import CATEGORIES, Rule
from .rules.registry import RuleSet
from .source import Source
from .suppression import Suppressions, mask_directives

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .checks import Finding


@dataclass
class LintResult:
    """The diagnostics of one source, or the error that kept it from being linted."""

    source: Source
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: InputError | None = None

    @property
    def notices(self) -> list[str]:
        return self.source.notices


class Linter:
    """Lints replies with one shared spaCy pipeline. Thread-safe for concurrent `lint` calls."""

    def __init__(self, config: Config | None = None, nlp: "Language | None" = None) -> None:
        self.config = config or Config()
        if nlp is not None:
            self.__dict__["nlp"] = nlp
        self.selected = self.rules.select(self.config.select, self.config.ignore)

    @cached_property
    def rules(self) -> RuleSet:
        """Every rule the pipeline knows (bundled plus ``extra-rules``), selected or not."""
        return RuleSet.load(self.config.extra_rules)

    @cached_property
    def nlp(self) -> "Language":
        from .pipeline import build_pipeline

        c = self.config
        return build_pipeline(c.use_model, c.model, c.label_map, c.extra_rules)

    def lint(self, text: str, customer: str | None = None, path: str = "<text>") -> list[Diagnostic]:
        """Diagnostics for one reply (offsets into ``text``)."""
        result = next(self.lint_sources([Source.from_text(text, path, customer)]))
        if result.error:
            raise result.error
        return result.diagnostics

    def lint_many(self, replies: Iterable[str | tuple[str, str | None]],
                  batch_size: int = 64) -> Iterator[list[Diagnostic]]:
        """Diagnostics for each reply of a stream (a text, or a ``(text, customer)`` pair), in order."""
        def sources() -> Iterator[Source]:
            for i, reply in enumerate(replies):
                text, customer = (reply, None) if isinstance(reply, str) else reply
                source = Source.from_text(text, "<text>", customer)
                source.record = str(i)
                yield source

        for result in self.lint_sources(sources(), batch_size):
            if result.error:
                raise result.error
            yield result.diagnostics

    def lint_sources(self, sources: Iterable[Source], batch_size: int = 64) -> Iterator[LintResult]:
        """Lint a stream of sources in batches through ``nlp.pipe``; yields one result per source, in
        order. Memory stays bounded by ``batch_size`` however long the stream is."""
        it = iter(sources)
        while batch := list(islice(it, batch_size)):
            yield from self._lint_batch(batch)

    def _lint_batch(self, batch: list[Source]) -> list[LintResult]:
        results = [LintResult(s) for s in batch]
        todo = []
        for result in results:
            problem = self._check_length(result.source)
            if problem:
                result.error = problem
            elif result.source.text.strip():
                todo.append(result)
        if not todo:
            return results
        try:
            docs = self._parse([r.source for r in todo])
        except Exception:  # one bad text must not sink the batch: isolate it
            docs = []
            for result in todo:
                try:
                    docs.extend(self._parse([result.source]))
                except Exception as exc:  # noqa: BLE001  (reported per source, batch goes on)
                    result.error = InputError(result.source.path, f"could not be linted: {exc}")
                    docs.append(None)
        suppressions: dict[int, Suppressions] = {}
        for result, doc in zip(todo, docs):
            if doc is None:
                continue
            file = result.source.file
            if id(file) not in suppressions:
                suppressions[id(file)] = Suppressions.scan(file.text, file.line_base)
            result.diagnostics = self._diagnostics(result.source, doc, suppressions[id(file)])
        return results

    def _check_length(self, source: Source) -> InputError | None:
        limit = self.nlp.max_length
        if len(source.text) > limit:
            where = f" (record {source.record})" if source.record else ""
            return InputError(source.path, f"text{where} is {len(source.text):,} characters; the limit is "
                              f"{limit:,}: split it into separate replies")
        return None

    def _parse(self, sources: list[Source]) -> list["Doc"]:
        nlp = self.nlp
        customers = [s.customer for s in sources if s.customer and s.customer.strip()]
        customer_docs = {}
        if customers:
            docs = []
            for text in customers:
                doc = nlp.make_doc(text)
                doc._.role = "customer"
                docs.append(doc)
            customer_docs = dict(zip(customers, nlp.pipe(docs)))
        replies = []
        for source in sources:
            doc = nlp.make_doc(mask_directives(source.text))
            doc._.customer = customer_docs.get(source.customer) if source.customer else None
            replies.append(doc)
        return list(nlp.pipe(replies))

    def _diagnostics(self, source: Source, doc: "Doc", suppressions: Suppressions) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        seen: dict[str, list[tuple[int, int]]] = {}
        findings = sorted(doc._.findings or [], key=lambda f: (f.start, -f.end))
        for finding in findings:
            rule = finding.rule
            if rule.code not in self.selected:
                continue
            start, end = _trim(doc.text, finding.start, finding.end)
            if end <= start or any(s < end and start < e for s, e in seen.get(rule.code, ())):
                continue
            diagnostic = self._diagnostic(source, doc, rule, finding, start, end)
            if suppressions and suppressions.suppressed(diagnostic.line, rule.code, rule.name, rule.category):
                continue
            seen.setdefault(rule.code, []).append((start, end))
            out.append(diagnostic)
        out.sort(key=lambda d: (d.start, d.code))
        return out

    def _diagnostic(self, source: Source, doc: "Doc", rule: Rule, finding: "Finding",
                    start: int, end: int) -> Diagnostic:
        file = source.file
        orig_start, orig_end = source.original_span(start, end)
        line, column = file.position(orig_start)
        end_line, end_column = file.position(orig_end)
        matched = doc.text[start:end]
        fix = None
        if rule.fix is not None:
            fix = Fix(orig_start, orig_end, rule.fix.replacement.replace("{text}", matched), rule.fix.safe)
        return Diagnostic(
            code=rule.code, name=rule.name, category=rule.category, severity=self.severity_of(rule),
            message=finding.message or rule.format_message(matched),
            suggestions=tuple(s.replace("{text}", matched) for s in rule.suggestions),
            start=orig_start, end=orig_end, text=file.text[orig_start:orig_end],
            line=line, column=column, end_line=end_line, end_column=end_column,
            path=source.path, record=source.record, title=source.title, fix=fix, reason=rule.reason,
            source=_origin(rule),
        )

    def severity_of(self, rule: Rule) -> Severity:
        """The rule's severity after config overrides; the most specific selector wins
        (code > name > longer code prefix > category)."""
        best, rank = rule.severity, -1
        for selector, severity in self.config.severity.items():
            if selector.upper() == rule.code:
                r = 100
            elif selector == rule.name:
                r = 90
            elif selector in CATEGORIES:
                r = 1 if selector == rule.category else -1
            elif rule.code.startswith(selector.upper()):
                r = 10 + len(selector)
            else:
                r = -1
            if r > rank:
                best, rank = severity, r
        return best


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _origin(rule: Rule) -> str:
    if rule.check and rule.check.startswith("tone-"):
        return "model"
    return "check" if rule.check else "rule"
