"""`Linter`: sources in, diagnostics out. Ties the pipeline, the rule selection, suppressions and the
offset maps together; knows nothing about files on disk, command lines or HTTP."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, islice
from typing import TYPE_CHECKING, Iterable, Iterator

from .cache import ResultCache, Worked
from .config import Config
from .diagnostic import Diagnostic, Fix, Severity
from .errors import InputError
from .nlp.memory import release_free_memory
from .pipeline import MAX_CHARS
from .rules.model import CATEGORIES, Rule
from .rules.registry import RuleSet
from .situation import Situation
from .source import Source
from .suppression import Suppressions, mask_directives
from .checks.base import Finding

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .nlp.parsing import SegmentParser
    from .workers import FindingsPool


@dataclass
class LintResult:
    """The diagnostics of one source, or the error that kept it from being linted."""

    source: Source
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: InputError | None = None
    #: the customer's situation (`situation.Situation`), read from ``source.customer`` when there is one
    situation: "Situation | None" = None

    @property
    def notices(self) -> list[str]:
        return self.source.notices


class Linter:
    """Lints replies with one shared spaCy pipeline. Thread-safe for concurrent `lint` calls.

    ``cache``: ``True`` keeps the findings of texts already seen in memory (a `ResultCache` of its own),
    ``False`` turns that off, and a `ResultCache` (e.g. one with a folder on disk) is used as given.
    ``parse_cache_size``: how many parsed sentences to keep (`parsing.SegmentParser`); 0 keeps none.
    Neither cache changes any result.
    """

    def __init__(self, config: Config | None = None, nlp: "Language | None" = None, *,
                 cache: ResultCache | bool = True, parse_cache_size: int | None = None) -> None:
        self.config = config or Config()
        if nlp is not None:
            self.__dict__["nlp"] = nlp
        self.selected = self.rules.select(self.config.select, self.config.ignore)
        self.cache = ResultCache() if cache is True else cache or None
        self.parse_cache_size = parse_cache_size

    @cached_property
    def rules(self) -> RuleSet:
        """Every rule the pipeline knows (bundled plus ``extra-rules``), selected or not."""
        return RuleSet.load(self.config.extra_rules)

    @cached_property
    def nlp(self) -> "Language":
        from .pipeline import build_pipeline

        c = self.config
        return build_pipeline(c.use_model, c.model, c.label_map, c.extra_rules, c.precision)

    @cached_property
    def parser(self) -> "SegmentParser":
        """The English part of the pipeline, run sentence by sentence with a cache of parsed sentences."""
        from .nlp.parsing import DEFAULT_CACHE_SIZE, SegmentParser
        from .pipeline import split_pipeline

        size = DEFAULT_CACHE_SIZE if self.parse_cache_size is None else self.parse_cache_size
        return SegmentParser(self.nlp, split_pipeline(self.nlp)[0], cache_size=size)

    @cached_property
    def fingerprint(self) -> str:
        """What this linter's findings depend on besides the text (the result cache's key prefix)."""
        from .cache import fingerprint

        return fingerprint(self.config)

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

    def lint_sources(self, sources: Iterable[Source], batch_size: int = 64, jobs: int = 1,
                     pool: "FindingsPool | None" = None) -> Iterator[LintResult]:
        """Lint a stream of sources in batches; yields one result per source, in order. Memory stays
        bounded by ``batch_size`` (times ``2 * jobs``) however long the stream is.

        ``jobs`` > 1 runs the parsing and matching in that many forked worker processes (where the platform
        can fork); 0 means one per core once the stream is longer than two batches. ``pool``: run them there
        instead (anything with `FindingsPool.ordered`, e.g. `engines.ray.RayFindingsPool`; closed at the end)."""
        from .workers import FindingsPool, available_cores, can_fork

        batches = _batches(sources, batch_size)
        if pool is not None:
            with pool:
                for plan, found in pool.ordered(map(self._plan, batches), lambda plan: plan.items):
                    yield from self._finish(plan, found)
            return
        if jobs == 0:
            head = list(islice(batches, 3))
            jobs = available_cores() if len(head) > 2 else 1
            batches = chain(head, batches)
        if jobs <= 1 or not can_fork():
            for i, batch in enumerate(batches):
                if i:
                    release_free_memory()  # between batches only: a one-batch run (one reply) exits without it
                yield from self._lint_batch(batch)
            return
        self.nlp  # noqa: B018  (build the pipeline before forking, so that every worker shares it)
        with FindingsPool(self, jobs) as pool:
            for plan, found in pool.ordered(map(self._plan, batches), lambda plan: plan.items):
                yield from self._finish(plan, found)

    def _lint_batch(self, batch: list[Source]) -> list[LintResult]:
        plan = self._plan(batch)
        return self._finish(plan, self.find(plan.items) if plan.items else [])

    def _plan(self, batch: list[Source]) -> "_Plan":
        """What a batch needs: its results, the findings of texts already in the cache, and the distinct
        ``(text, customer)`` items still to be worked out."""
        plan = _Plan([LintResult(s) for s in batch])
        for result in plan.results:
            problem = self._check_length(result.source)
            if problem:
                result.error = problem
            elif result.source.text.strip():
                text, customer = mask_directives(result.source.text), result.source.customer
                key = self.cache.key(self.fingerprint, text, customer) if self.cache else ""
                plan.todo.append((result, key, (text, customer)))
        if self.cache is not None:
            plan.cached = self.cache.get_many([key for _, key, _ in plan.todo])
        plan.items = list(dict.fromkeys(item for _, key, item in plan.todo if key not in plan.cached))
        return plan

    def _finish(self, plan: "_Plan", found: list) -> list[LintResult]:
        """Diagnostics of a planned batch, given the findings (or the error) of each of its items."""
        fresh = dict(zip(plan.items, found))
        if self.cache is not None:
            self.cache.put_many([(key, fresh[item]) for _, key, item in plan.todo
                                 if key not in plan.cached and isinstance(fresh[item], dict)])
        suppressions: dict[int, Suppressions] = {}
        for result, key, item in plan.todo:
            worked = plan.cached[key] if key in plan.cached else fresh[item]
            if not isinstance(worked, dict):  # an error: one bad text must not sink the batch
                result.error = InputError(result.source.path, f"could not be linted: {worked}")
                continue
            file = result.source.file
            if id(file) not in suppressions:
                suppressions[id(file)] = Suppressions.scan(file)
            if worked["situation"] is not None:
                result.situation = Situation.from_dict(worked["situation"])
            findings = [Finding(self.rules.get(code), start, end, message,  # type: ignore[arg-type]
                                Severity.parse(severity) if severity else None, score)
                        for code, start, end, message, severity, score in worked["findings"]]
            result.diagnostics = self._diagnostics(result.source, item[0], findings, suppressions[id(file)])
        return plan.results

    def find(self, items: list[tuple[str, str | None]]) -> list[Worked | Exception]:
        """The findings of each ``(text, customer)``, or the exception that kept it from being linted:
        the expensive stage, which the result cache stores and the worker processes run."""
        try:
            return self._find(items)
        except Exception:  # isolate the text that failed
            out: list[Worked | Exception] = []
            for item in items:
                try:
                    out.extend(self._find([item]))
                except Exception as exc:  # noqa: BLE001  (reported per source, batch goes on)
                    out.append(exc)
            return out

    def _find(self, items: list[tuple[str, str | None]]) -> list[Worked]:
        from .pipeline import split_pipeline

        parser = self.parser  # builds the pipeline, importing spaCy the lean way (`spacy_import`) first
        from .nlp.channel import mask
        from .nlp.segmentation import plain_text

        customers = list(dict.fromkeys(c for _, c in items if c and c.strip()))
        # parsed with the channel's marks masked (@handles, links, sign-offs: `channel`), then as `plain_text`
        # (LF line breaks, no invisible characters, hard wraps as spaces); offsets map back through both
        masked = [mask(text) for text, _ in items]
        texts = [plain_text(m.text) for m in masked]
        customer_masks = [mask(c) for c in customers]
        docs = parser([plain_text(m.text)[0] for m in customer_masks] + [text for text, _ in texts])
        customer_docs = dict(zip(customers, docs))
        for doc, customer, m in zip(docs, customers, customer_masks):
            doc._.role = "customer"
            doc._.channel_marks = _marks(customer, m)
        for doc, (text, customer), m, (_, cut) in zip(docs[len(customers):], items, masked, texts):
            doc._.customer = customer_docs.get(customer) if customer else None
            doc._.channel_marks = _marks(text, m)
            doc._.link_spans = _link_spans(m, cut)
        annotated: Iterable[Doc] = docs
        for _, proc in split_pipeline(self.nlp)[1]:
            annotated = proc.pipe(annotated) if hasattr(proc, "pipe") else map(proc, annotated)
        replies = list(annotated)[len(customers):]
        # a finding on nothing but channel stand-ins ("it" for a link) is none: `Masked.back` gives None
        return [{"findings": [(f.rule.code, *span, f.message, str(f.severity) if f.severity else None,
                               None if f.score is None else round(f.score, 4))
                              for f in doc._.findings or () if (span := m.back(*_back(f.start, f.end, cut)))],
                 "situation": _situation(doc._.customer)}
                for doc, m, (_, cut) in zip(replies, masked, texts)]

    def _check_length(self, source: Source) -> InputError | None:
        limit = MAX_CHARS
        if len(source.text) > limit:
            where = f" (record {source.record})" if source.record else ""
            return InputError(source.path, f"text{where} is {len(source.text):,} characters; the limit is "
                              f"{limit:,}: split it into separate replies")
        return None

    def _diagnostics(self, source: Source, text: str, findings: list[Finding],
                     suppressions: Suppressions) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        seen: dict[str, list[tuple[int, int]]] = {}
        findings = sorted(findings, key=lambda f: (f.start, -f.end))
        placeholders = source.offsets.placeholder_spans()
        for finding in findings:
            rule = finding.rule
            if rule.code not in self.selected:
                continue
            start, end = _trim(text, finding.start, finding.end)
            if end <= start or _only_placeholders(text, start, end, placeholders):
                continue
            if any(s < end and start < e for s, e in seen.get(rule.code, ())):
                continue
            diagnostic = self._diagnostic(source, text, rule, finding, start, end)
            if suppressions and suppressions.suppressed(diagnostic.line, rule.code, rule.name, rule.category):
                continue
            seen.setdefault(rule.code, []).append((start, end))
            out.append(diagnostic)
        out.sort(key=lambda d: (d.start, d.code))
        return out

    def _diagnostic(self, source: Source, text: str, rule: Rule, finding: Finding,
                    start: int, end: int) -> Diagnostic:
        file = source.file
        orig_start, orig_end = source.original_span(start, end)
        line, column = file.position(orig_start)
        end_line, end_column = file.position(orig_end)
        matched = text[start:end]
        fix = None
        if rule.fix is not None:
            fix = Fix(orig_start, orig_end, rule.fix.replacement.replace("{text}", matched), rule.fix.safe)
        return Diagnostic(
            code=rule.code, name=rule.name, category=rule.category, severity=self.severity_of(rule, finding.severity),
            message=finding.message or rule.format_message(matched),
            suggestions=tuple(s.replace("{text}", matched) for s in rule.suggestions),
            start=orig_start, end=orig_end, text=file.text[orig_start:orig_end],
            line=line, column=column, end_line=end_line, end_column=end_column,
            path=source.path, record=source.record, title=source.title, fix=fix, reason=rule.reason,
            source=_origin(rule), score=finding.score,
        )

    def severity_of(self, rule: Rule, chosen: Severity | None = None) -> Severity:
        """The rule's severity (or the one its check ``chosen`` for this finding: how upset the customer is)
        after config overrides; the most specific selector wins (code > name > longer code prefix > category)."""
        best, rank = chosen or rule.severity, -1
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


@dataclass
class _Plan:
    """A batch on its way: results, cache keys, cached findings, and the distinct items left to work out."""

    results: list[LintResult]
    todo: list[tuple[LintResult, str, tuple[str, str | None]]] = field(default_factory=list)
    cached: dict[str, list[FindingRecord]] = field(default_factory=dict)
    items: list[tuple[str, str | None]] = field(default_factory=list)


def _marks(text: str, masked) -> tuple[tuple[str, str], ...]:
    """``(kind, original text)`` of each channel mark (`nlp.channel`): checks read the handles a customer
    addressed (the company's own name) and the links a reply gives (what their addresses say)."""
    return tuple((m.kind, text[m.start:m.end]) for m in masked.marks)


def _link_spans(masked, cut: list[int]) -> tuple[tuple[int, int], ...]:
    """Where each link's stand-in is in the parsed text: `Masked` positions less the characters `plain_text`
    dropped before them (``cut`` holds, for each, the parsed index of the character after it)."""
    spans = masked.stand_in_spans(("url",))
    dropped = [c + k for k, c in enumerate(cut)]  # the dropped characters' own positions in the masked text
    return tuple((p - bisect_left(dropped, p), q - bisect_left(dropped, q)) for p, q in spans)


def _situation(customer: "Doc | None") -> dict | None:
    situation = getattr(customer._, "situation", None) if customer is not None else None
    return situation.to_dict() if situation is not None else None


def _batches(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    it = iter(sources)
    while batch := list(islice(it, size)):
        yield batch


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _only_placeholders(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``text[start:end]`` is nothing but masked placeholders (and spaces or punctuation): a
    finding on a stand-in such as "Alex" says nothing about the reply's wording. (A finding that only
    starts or ends inside a stand-in is fine: its run maps to the whole placeholder in the file.)"""
    pos = start
    for s, e in spans[max(bisect_left(spans, (start, start)) - 1, 0):]:
        if s >= end:
            break
        if e > pos:
            if any(ch.isalnum() for ch in text[pos:s]):
                return False
            pos = e
    return pos > start and not any(ch.isalnum() for ch in text[pos:end])


def _origin(rule: Rule) -> str:
    if rule.check and (rule.check.startswith("tone-") or rule.check == "family-model"):
        return "model"
    return "check" if rule.check else "rule"


def _back(start: int, end: int, cut: list[int]) -> tuple[int, int]:
    """A span of a text `segmentation.plain_text` took characters out of, as a span of the text as it was
    (``cut``: where in the new text each was taken out, in order); what was taken out at its edges stays out."""
    if not cut:
        return start, end
    return start + bisect_right(cut, start), end + bisect_left(cut, end)
