"""The customer's situation, read from their message: did something go wrong for them, how strongly do they
feel about it, or is it a neutral question or request?

    doc._.situation  # Situation(kind="problem", problem="billing", intensity="furious", ...) on a customer Doc

The spaCy component ``empathylint_situation`` sets ``doc._.situation`` on the customer's message (a Doc whose
``_.role`` is ``"customer"``); replies are left alone. Its words are data (``rules/customer/situation.yml``):
patterns for each kind of problem (something not working, the account, billing, a missing or late order,
lost data, an outage, earlier bad service), markers of frustration, fury and distress, and question cues.
With the tone model loaded, the message's needs-apology score can raise a calm message to frustrated.

Rules read it to decide whether an apology is owed and how serious its absence is: a calm "how do I…" is
owed none, a calm bug report answered with a fix at most a hint, a furious customer a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RuleFileError
from .resources import rules_dir

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SITUATION_FILE = Path("customer") / "situation.yml"
#: Intensity levels, weakest first; distress ranks with fury (both owe an apology before anything else).
INTENSITIES = ("calm", "frustrated", "furious", "distressed")
KINDS = ("problem", "question", "request")
#: How much of the customer's words a message quotes around a problem match.
QUOTE_TOKENS = 10


@dataclass(frozen=True)
class Situation:
    """What the customer's message says about their situation.

    * ``kind``: ``problem`` (something went wrong for them), ``question`` or ``request``.
    * ``problem``: the kind of problem (``failure``, ``account``, ``billing``, ``delivery``, ``loss``,
      ``outage``, ``service``), None unless ``kind`` is ``problem``; ``label`` says it in words and
      ``quote`` gives the customer's own words for it.
    * ``intensity``: ``calm``, ``frustrated``, ``furious`` or ``distressed``; ``markers`` the words that
      showed it (``"model"`` when the tone classifier's score did).
    * ``waiting``: they ask when something will happen or say they are still waiting ("any update?"): a
      vague "soon" is then no answer.
    """

    kind: str
    intensity: str = "calm"
    problem: str | None = None
    label: str | None = None
    quote: str | None = None
    problems: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    needs_apology: float | None = None
    waiting: bool = False

    @property
    def upset(self) -> bool:
        """Frustrated, furious or distressed."""
        return self.intensity != "calm"

    @property
    def level(self) -> int:
        """0 calm, 1 frustrated, 2 furious or distressed."""
        return min(INTENSITIES.index(self.intensity), 2)

    @property
    def owes_apology(self) -> bool:
        """Whether a reply owes an apology or empathy: something went wrong, or the customer is upset."""
        return self.kind == "problem" or self.upset

    def describe(self) -> str:
        """A short phrase for messages: 'reports a billing problem ("charged twice")'."""
        if self.kind == "problem":
            quoted = f' ("{self.quote}")' if self.quote else ""
            return f"reports {self.label}{quoted}"
        return {"question": "asks a question", "request": "makes a request"}[self.kind]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``customer.situation`` in the output)."""
        return {"kind": self.kind, "problem": self.problem, "problems": list(self.problems),
                "label": self.label, "quote": self.quote, "intensity": self.intensity,
                "markers": list(self.markers), "needs_apology": self.needs_apology, "waiting": self.waiting}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Situation":
        return cls(kind=data["kind"], intensity=data["intensity"], problem=data.get("problem"),
                   label=data.get("label"), quote=data.get("quote"), problems=tuple(data.get("problems", ())),
                   markers=tuple(data.get("markers", ())), needs_apology=data.get("needs_apology"),
                   waiting=bool(data.get("waiting", False)))


@dataclass
class SituationData:
    """The parsed ``situation.yml``: pattern groups by key, labels of the problem kinds, model thresholds."""

    path: Path
    groups: dict[str, list[Any]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    model_thresholds: dict[str, float] = field(default_factory=dict)
    emoji: dict[str, str] = field(default_factory=dict)  # emoji or emoticon -> the intensity it shows
    examples: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=4)
def load_situation_data(folder: str | None = None) -> SituationData:
    """Read and check ``rules/customer/situation.yml`` (or the one under ``folder``); errors name the file."""
    path = Path(folder) / SITUATION_FILE if folder else rules_dir() / SITUATION_FILE
    from yaml import YAMLError

    from .rules.yaml_lines import load_yaml_with_lines

    try:
        raw = load_yaml_with_lines(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise RuleFileError(str(path), f"cannot read the situation patterns: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("problems"), dict):
        raise RuleFileError(str(path), "expected a mapping with 'problems', 'intensity' and 'question'")
    data = SituationData(path)
    for name, entry in raw["problems"].items():
        if not isinstance(entry, dict) or "label" not in entry or "patterns" not in entry:
            raise RuleFileError(str(path), f"problems.{name}: needs 'label' and 'patterns'")
        data.labels[name] = str(entry["label"])
        data.groups[f"problem:{name}"] = entry["patterns"]
    intensity = raw.get("intensity") or {}
    for level in INTENSITIES[1:]:
        if level in intensity:
            data.groups[f"intensity:{level}"] = intensity[level]
    data.model_thresholds = {str(k): float(v) for k, v in (intensity.get("model") or {}).items()}
    for level, marks in (raw.get("emoji") or {}).items():
        if level not in INTENSITIES[1:]:
            raise RuleFileError(str(path), f"emoji.{level}: not an intensity ({', '.join(INTENSITIES[1:])})")
        data.emoji.update({str(m): level for m in marks})
    data.groups["question"] = raw.get("question") or []
    data.groups["waiting"] = raw.get("waiting") or []
    data.examples = list(raw.get("examples") or [])
    return data


class SituationReader:
    """Reads the `Situation` of customer Docs with the patterns of ``situation.yml`` compiled once."""

    def __init__(self, nlp: Language, folder: str | None = None) -> None:
        from .rules.loader import parse_patterns
        from .rules.matching import PatternSet

        self.data = load_situation_data(folder)
        self.patterns = PatternSet(nlp.vocab, nlp.make_doc)
        path = str(self.data.path)
        for key, raw in self.data.groups.items():
            if raw:
                self.patterns.add_all(key, parse_patterns(raw, path, key), path)

    def read(self, doc: Doc) -> Situation:
        found: dict[str, list[Span]] = {}
        for match in self.patterns.find(doc):
            found.setdefault(match.key, []).append(match.span)
        problems = [key.split(":", 1)[1] for key in found if key.startswith("problem:")]
        waiting = bool(found.get("waiting"))
        problems.sort(key=lambda name: found[f"problem:{name}"][0].start)
        levels = [level for level in INTENSITIES[1:] if found.get(f"intensity:{level}")]
        # distress outranks fury, fury frustration: "I'm desperate, this is ridiculous" is distress
        intensity = max(levels, key=INTENSITIES.index) if levels else "calm"
        markers = [s.text for level in levels for s in found[f"intensity:{level}"]]
        markers.extend(self._shouting(doc))
        # emoji and emoticons are taken out of the parsed text (`nlp.channel`); their feeling still counts
        for level, mark in self._emoji(doc):
            markers.append(mark)
            if INTENSITIES.index(level) > INTENSITIES.index(intensity):
                intensity = level
        if markers and intensity == "calm":
            intensity = "frustrated"
        score = _needs_apology(doc)
        threshold = self.data.model_thresholds.get("frustrated")
        if intensity == "calm" and score is not None and threshold is not None and score >= threshold:
            intensity, markers = "frustrated", ["model"]
        if problems:
            first = problems[0]
            # earlier bad service alone is a problem; next to a concrete one it is context, not the headline
            concrete = [p for p in problems if p != "service"]
            first = concrete[0] if concrete else first
            span = found[f"problem:{first}"][0]
            return Situation("problem", intensity, first, self.data.labels[first], _quote(span),
                             tuple(problems), tuple(dict.fromkeys(markers)), score, waiting)
        kind = "question" if found.get("question") or any(t.text == "?" for t in doc) else "request"
        return Situation(kind, intensity, markers=tuple(dict.fromkeys(markers)), needs_apology=score,
                         waiting=waiting)

    def _emoji(self, doc: Doc) -> list[tuple[str, str]]:
        """``(intensity, mark)`` for each emoji or emoticon of the message that ``situation.yml`` lists."""
        marks = doc._.channel_marks if doc.has_extension("channel_marks") else ()
        out = []
        for kind, text in marks:
            if kind not in {"emoji", "emoticon"}:
                continue
            text = text.strip()
            # a run of emoji ("😩🥺😭") is one mark: read each listed emoji in it, longest first (ZWJ sequences)
            found = [text] if text in self.data.emoji else \
                [e for e in sorted(self.data.emoji, key=len, reverse=True) if kind == "emoji" and e in text]
            out.extend((self.data.emoji[e], e) for e in dict.fromkeys(found))
        return out

    @staticmethod
    def _shouting(doc: Doc) -> list[str]:
        """Words in capitals that are not acronyms: three or more of four letters or more ("FIX THIS APP NOW")."""
        loud = [t.text for t in doc if t.is_alpha and t.is_upper and len(t) >= 4 and not t.like_url]
        return loud if len(loud) >= 3 else []


def _needs_apology(doc: Doc) -> float | None:
    tone = doc._.tone if doc.has_extension("tone") else None
    return None if tone is None else round(float(tone.needs_apology), 4)


def _quote(span: Span) -> str:
    """The customer's words around a problem match: its sentence when short, else a window around it."""
    sent = span.sent
    if len(sent) <= QUOTE_TOKENS:
        words = sent
    else:
        start = max(sent.start, span.start - 3)
        words = span.doc[start:min(sent.end, start + QUOTE_TOKENS)]
    text = " ".join(words.text.split())
    return text.strip(" .,;:!?").strip()


def register_extensions() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("situation"):
        Doc.set_extension("situation", default=None)


class SituationComponent:
    """spaCy component: ``doc._.situation`` for customer Docs (``doc._.role == "customer"``)."""

    def __init__(self, nlp: Language, name: str, folder: str | None = None) -> None:
        register_extensions()
        self.name = name
        self.reader = SituationReader(nlp, folder)

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_extension("role") and doc._.role == "customer":
            doc._.situation = self.reader.read(doc)
        return doc


def register_factory() -> None:
    from spacy.language import Language

    if "empathylint_situation" not in Language.factories:
        Language.factory("empathylint_situation", default_config={"folder": None})(
            lambda nlp, name, folder: SituationComponent(nlp, name, folder))
