"""Opt-in: the real twitter-care dev set in /work/shared/data (skipped where it is absent). Every agent
message, and every final agentURL reply, becomes one source named ``<sessionID>/<tweet_ID>``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from empathylint.readers import read_path

DEV = Path(os.environ.get("EMPATHYLINT_TWITTER_CARE", "/work/shared/data/twitter-care/dev.json"))

pytestmark = pytest.mark.skipif(not DEV.is_file(), reason=f"{DEV} is not here")


def test_586_agent_sources_named_by_session_and_tweet(json_maps_back):
    sources = list(read_path(str(DEV)))
    assert len(sources) == 586
    assert not [s.notices for s in sources if s.notices]
    conversations = json.loads(DEV.read_text(encoding="utf-8"))
    expected = [f"{c['dialogHeader']['sessionID']}/{m['tweet_ID']}" for c in conversations
                for m in [*(m for m in c["dialogContent"] if "agent" in m), c["agentURL"]]]
    assert [s.record for s in sources] == expected
    for source in sources:
        json_maps_back(source)
