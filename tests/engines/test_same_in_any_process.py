"""A batch's diagnostics depend on its texts only, never on the process that computes them: the engines
hand batches to different processes (forked workers, Ray actors) and must get the same bytes back."""

from __future__ import annotations

from empathylint.linter import Linter

CUSTOMER = ("I tried to recover my account twice this morning. It is still not working. "
            "I still cannot recover my account, and now the recovery page is gone.")
REPLY = "Hi! Have you already tried recovering your account? Let us know."


def test_the_template_reply_quotes_the_customers_first_attempt_whatever_the_docs_addresses(rules_linter):
    linter = Linter(rules_linter.config, cache=False, parse_cache_size=0)  # a fresh Doc every time
    messages = {d.message for _ in range(25) for d in linter.lint(REPLY, CUSTOMER) if d.code == "ACK003"}
    assert messages == {'The reply suggests what the customer says they tried or what fails for them ("I tried '
                        'to recover my account twice this morning."): a template that ignores what they wrote.'}
