"""ThreadTools: Bolt's own set_status / say_stream / set_title, as injected or built for the answer's thread."""

from __future__ import annotations

from slack_bolt import SayStream, SetStatus, SetTitle
from slack_sdk import WebClient

from bot.slack.delivery import ThreadTools

CLIENT = WebClient(token="xoxb-unit", base_url="http://127.0.0.1:9/api/")  # never called here


def test_injected_helpers_are_used_as_bolt_gave_them():
    status, stream = SetStatus(CLIENT, "D1", "5.1"), SayStream(client=CLIENT, channel="D1", thread_ts="5.1")
    tools = ThreadTools.of(CLIENT, "D1", "5.1", "U1", "T1",
                           {"set_status": status, "say_stream": stream, "set_title": None})
    assert tools.set_status is status and tools.say_stream is stream
    assert isinstance(tools.set_title, SetTitle)  # Bolt injects none outside assistant threads
    assert (tools.set_title.channel_id, tools.set_title.thread_ts) == ("D1", "5.1")


def test_without_injection_bolts_classes_are_built_for_the_thread_and_recipient():
    tools = ThreadTools.of(CLIENT, "C7", "510.1", "U5", "T1")
    assert (tools.set_status.channel_id, tools.set_status.thread_ts) == ("C7", "510.1")
    stream = tools.say_stream
    assert (stream.channel, stream.thread_ts, stream.recipient_user_id, stream.recipient_team_id) == \
        ("C7", "510.1", "U5", "T1")
    assert ThreadTools.of(CLIENT, "C7", "510.1").say_stream.recipient_user_id is None  # unknown, not ""
