"""Known secrets pass through real calls (keys, echoed by the upstream, inside prompts and URLs) and
none of them reaches the log file, a span, the ledger or an error message."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from reelgate import AuthenticationError, Client, reports
from reelgate.ledger import Ledger
from reelgate.telemetry import configure
from reelgate.telemetry._content import set_capture_content
from reelgate.telemetry._http import instrument
from tests.conftest import Telemetry
from tests.unit._scripted import Scripted, error_reply, json_reply, video

OPENAI_KEY = "sk-proj-AAAA1111BBBB2222CCCC3333"
AZURE_KEY = "0123456789abcdef0123456789abcdef"
PROMPT_SECRET = "sk-live-PROMPT9999SECRET8888"
GOOGLE_KEY = "AIzaSyD-EXAMPLEEXAMPLEEXAMPLE12345"
SECRETS = (OPENAI_KEY, AZURE_KEY, PROMPT_SECRET, GOOGLE_KEY)


def test_no_secret_reaches_logs_spans_ledger_or_errors(tmp_path: Path, telemetry: Telemetry) -> None:
    log_file = tmp_path / "reelgate.log"
    handle = configure(log_file=log_file, log_format="json")
    set_capture_content(True)
    ledger = Ledger(data_dir=tmp_path / "data")
    errors: list[str] = []
    try:
        echo = Scripted(
            json_reply(video(id="video_s", prompt=f"use {PROMPT_SECRET}"), headers={"x-echo": OPENAI_KEY}),
            error_reply(401, f"Incorrect API key provided: {OPENAI_KEY}", code="invalid_api_key"),
        )
        client = Client(
            model="openai/sora-2",
            api_key=OPENAI_KEY,
            api_base="https://up.test/v1",
            transport=echo.transport,
            ledger=ledger,
        )
        client.create(f"a cat, my token is {PROMPT_SECRET}", user="bob")
        with pytest.raises(AuthenticationError) as caught:
            client.status("video_s")
        errors.append(str(caught.value))
        azure = Scripted(error_reply(401, f"Access denied for key {AZURE_KEY}"))
        with pytest.raises(AuthenticationError) as azure_error:
            Client(
                api_key=AZURE_KEY,
                api_base="https://r.openai.azure.com",
                transport=azure.transport,
                ledger=ledger,
            ).status("video_s", "azure/sora-2")
        errors.append(str(azure_error.value))
        google = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        instrument(google)
        google.get(f"https://generativelanguage.test/v1beta/files/abc:download?alt=media&key={GOOGLE_KEY}")
    finally:
        set_capture_content(None)
        handle.shutdown()
        ledger.close()

    logged = log_file.read_text()
    assert '"event": "request"' in logged
    spans = json.dumps(
        [dict(span.attributes or {}) for span in telemetry.spans()]
        + [[dict(e.attributes or {}) for e in span.events] for span in telemetry.spans()],
        default=str,
    )
    assert "a cat, my token is" in spans, "prompt capture was on"
    rows = json.dumps(
        reports.sql("SELECT * FROM calls", data_dir=tmp_path / "data")
        + reports.sql("SELECT * FROM cost_events", data_dir=tmp_path / "data"),
        default=str,
    )
    assert "bob" in rows
    for secret in SECRETS:
        assert secret not in logged, f"{secret} in the log file"
        assert secret not in spans, f"{secret} in a span"
        assert secret not in rows, f"{secret} in the ledger"
        for message in errors:
            assert secret not in message
