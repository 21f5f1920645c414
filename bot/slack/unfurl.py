"""Link unfurls: a pasted url of an indexed article shows headline, date, byline and source, and an Ask button."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import blocks as kit
from bot.slack.responder import Responder, SlackAnswerer
from index.query import Filters
from index.rows import ArticleRow

log = logging.getLogger("newsbot.slack")
ASK_ACTION, ASK_VIEW = "ask_article", "ask_article"


def covered(url: str, domains: list[str]) -> bool:
    """Is the url on one of the domains (or a subdomain of one)? Every url is when none are set."""
    host = (urlsplit(url).hostname or "").lower()
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def unfurl_blocks(article: ArticleRow, target: dict) -> list[dict]:
    """Headline (linked), date · byline · source, and the Ask button; every article string escaped."""
    facts = [kit.escape(x) for x in (article.published, article.author, article.source) if x]
    value = json.dumps({"a": article.article_id, **target}, separators=(",", ":"))
    blocks = [{"type": "section", "text": kit.mrkdwn("*" + kit.link(article.url, article.title or "Untitled") + "*")}]
    if facts:
        blocks.append({"type": "context", "elements": [kit.mrkdwn(" · ".join(facts))]})
    blocks.append({"type": "actions", "block_id": "newsbot_unfurl", "elements": [
        {"type": "button", "action_id": ASK_ACTION, "value": value, "text": kit.plain("Ask about this article", 75)}]})
    return blocks


def question_modal(article: ArticleRow, target: dict) -> dict:
    """The modal the Ask button opens: the article's title, and a question about it."""
    return {
        "type": "modal", "callback_id": ASK_VIEW,
        "private_metadata": json.dumps({"a": article.article_id, **target}),
        "title": kit.plain("Ask about an article", 24), "submit": kit.plain("Ask", 24),
        "close": kit.plain("Cancel", 24),
        "blocks": [
            {"type": "section", "text": kit.plain(article.title or "Untitled", 3000)},
            {"type": "input", "block_id": "question", "label": kit.plain("Your question", 2000),
             "element": {"type": "plain_text_input", "action_id": "question", "max_length": 1000,
                         "placeholder": kit.plain("What does it say about …?", 150)}},
        ],
    }


def _target(event: dict) -> dict:
    """Where the answer goes: the link's thread when the bot is in that channel, else the asker's DM."""
    if event.get("source") == "composer" or not event.get("is_bot_user_member", True):
        return {}
    return {"c": event.get("channel", ""), "t": event.get("thread_ts") or event.get("message_ts", "")}


def _dm(client: WebClient, user: str) -> str:
    """The asker's DM channel with the bot."""
    return client.conversations_open(users=user)["channel"]["id"]


def register(app: App, bot: SlackAnswerer, domains: list[str]) -> None:
    """link_shared → chat.unfurl for indexed articles; the Ask button → a modal → an answer from that article."""
    index = bot.service.index

    @app.event("link_shared")
    def on_link_shared(event, client):
        unfurls = {}
        for link in event.get("links", []):
            url = link.get("url", "")
            article = index.article_by_url(url) if covered(url, domains) else None
            if article:
                unfurls[url] = {"blocks": unfurl_blocks(article, _target(event))}
        if not unfurls:
            return  # an unknown url is left to Slack's own preview
        where = ({"unfurl_id": event["unfurl_id"], "source": event.get("source", "conversations_history")}
                 if event.get("unfurl_id") else {"channel": event.get("channel"), "ts": event.get("message_ts")})
        client.chat_unfurl(unfurls=unfurls, **where)

    @app.action(ASK_ACTION)
    def on_ask_button(ack, body, action, client):
        ack()
        target = json.loads(action.get("value") or "{}")
        article_id = target.pop("a", "")
        article = index.article(article_id) if article_id else None
        if article and body.get("trigger_id"):
            client.views_open(trigger_id=body["trigger_id"], view=question_modal(article, target))

    @app.view(ASK_VIEW)
    def on_question(ack, body, view, client, context):
        ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        question = ((view.get("state", {}).get("values", {}).get("question", {}).get("question")) or {}).get("value")
        user = body.get("user", {}).get("id", "")
        channel, thread_ts = meta.get("c"), meta.get("t")
        if not (channel and thread_ts):
            channel, thread_ts = _dm(client, user), None
        refusal = bot.over_limit(user)
        if refusal or thread_ts is None:  # a DM answer starts its own thread under a short note
            note = client.chat_postMessage(channel=channel, text=refusal or f"“{kit.escape(question or '')}”")
            if refusal:
                return
            thread_ts = note["ts"]
        Responder(bot, client, channel, thread_ts, user, context.team_id or "",
                  filters=Filters(article_ids=(meta.get("a", ""),))).run(question or "", None)
