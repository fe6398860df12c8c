"""The classifier's result for one text (a sentence or a whole message). No torch import here."""

from __future__ import annotations

from dataclasses import dataclass

SENTIMENT_LABELS = ("negative", "neutral", "positive")
TASKS = ("sentiment", "politeness", "emotion")


@dataclass(frozen=True)
class ToneScores:
    """Probabilities for one text.

    * ``sentiment``: ``{"negative", "neutral", "positive"}`` -> probability, summing to 1.
    * ``politeness``: probability that the text reads as polite (0 = clearly impolite, 1 = clearly polite).
    * ``needs_apology``: probability that the writer is angry, annoyed, disappointed or sad.
    * ``families``: for each behaviour family (`families.FAMILIES`), the probability the sentence shows it.
    """

    sentiment: dict[str, float]
    politeness: float
    needs_apology: float
    families: dict[str, float] | None = None  # behaviour family -> probability, when the family head is shipped

    __hash__ = None  # the dict field makes instances unhashable; say so instead of failing inside hash()

    def scores(self, task: str) -> dict[str, float]:
        """The probabilities of one task's labels (each task's values sum to 1)."""
        if task == "sentiment":
            return dict(self.sentiment)
        if task == "politeness":
            return {"impolite": 1.0 - self.politeness, "polite": self.politeness}
        if task == "emotion":
            return {"no_apology": 1.0 - self.needs_apology, "needs_apology": self.needs_apology}
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")

    def label(self, task: str) -> str:
        """The most probable label of ``task`` ("sentiment", "politeness" or "emotion"). These are argmax
        labels (0.5 for the binary tasks), not the calibrated warning thresholds of ``load_thresholds``."""
        return top_label(self.scores(task))

    def to_dict(self) -> dict:
        """Plain JSON-ready form."""
        out = {"sentiment": dict(self.sentiment), "politeness": self.politeness,
               "needs_apology": self.needs_apology}
        if self.families is not None:
            out["families"] = dict(self.families)
        return out


def top_label(scores: dict[str, float]) -> str:
    """The most probable label; a tie goes to "neutral" (never a made-up warning on a coin toss)."""
    return max(scores, key=lambda k: (scores[k], k == "neutral"))
