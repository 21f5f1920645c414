"""Channel scopes (NEWSBOT_SLACK_CHANNEL_SCOPES): parsed, checked with errors naming the field, made filters."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.slack.errors import SlackConfigError
from bot.slack.scopes import ChannelScopes
from index.query import Filters


def test_scopes_become_filters_by_channel():
    scopes = ChannelScopes.from_setting(json.dumps({
        "C1": {"sources": ["Reuters", "AP"], "since": "2024-01-01", "until": "2024-12-31"},
        "C2": {"source": "BBC", "days": 7},
        "*": {"sources": "Reuters"}}))
    today = date(2025, 6, 10)
    assert scopes.filters("C1", today) == Filters(sources=("Reuters", "AP"), since=20240101, until=20241231)
    assert scopes.filters("C2", today) == Filters(sources=("BBC",), since=20250604)
    assert scopes.filters("C9", today) == Filters(sources=("Reuters",))
    assert scopes.filters("D123", today) is None  # a DM searches everything
    assert ChannelScopes.from_setting("").filters("C1") is None


def test_a_rolling_window_never_widens_a_fixed_start():
    scopes = ChannelScopes.from_setting('{"C1": {"since": "2025-06-08", "days": 30}}')
    assert scopes.filters("C1", date(2025, 6, 10)).since == 20250608


def test_scopes_read_from_a_file(tmp_path):
    path = tmp_path / "scopes.json"
    path.write_text('{"C1": {"sources": ["AP"]}}')
    assert ChannelScopes.from_setting(str(path)).filters("C1") == Filters(sources=("AP",))


@pytest.mark.parametrize("value, named", [
    ('{"C1": {"sources": ["AP"], "section": "world"}}', "C1: section cannot be filtered on"),
    ('{"C1": {"tags": ["uk"]}}', "C1: tags cannot be filtered on"),
    ('{"C1": {"sources": ["AP"], "colour": "red"}}', "C1.colour is not a known field"),
    ('{"C1": {"since": "last week"}}', "C1.since"),
    ('{"C1": {"days": 0}}', "C1.days"),
    ('{"C1": "Reuters"}', "the scope of C1 must be an object"),
    ("[1, 2]", "must be a JSON object"),
    ('{"C1": ', "is not valid JSON"),
    ("/nonexistent/scopes.json", "cannot read /nonexistent/scopes.json"),
])
def test_malformed_scopes_name_the_setting_and_the_field(value, named):
    with pytest.raises(SlackConfigError, match="NEWSBOT_SLACK_CHANNEL_SCOPES") as err:
        ChannelScopes.from_setting(value)
    assert named in str(err.value)
