"""Passages that address the model, and claims no passage supports: the LLM mode's defence against injected text.

An article can carry text written for a language model rather than for readers ("ignore previous
instructions", "you are now…", "system: …"). Such sentences are found here so the prompt can flag
their passages (and rank them last), and so a claim resting only on them counts as unsupported.
"""

from __future__ import annotations

import re

from index.text import query_terms, split_sentences

_MODEL = r"(?:ai|a\.i\.|assistant|chat\s?bot|language\s+model|llm|newsbot|gpt|dan)\b"
ADDRESSES_MODEL = re.compile(
    "|".join([
        # "ignore all previous instructions", "forget your prompt", "disregard the rules above"
        r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,12}?\b(?:all|any|your|previous|prior|above|"
        r"earlier|preceding|original|initial|system)\b[^.\n]{0,24}?\b(?:instructions?|prompts?|rules|directions|"
        r"guidelines|directives|messages?)\b",
        r"\b(?:ignore|disregard|forget)\b[^.\n]{0,30}?\b(?:instructions?|prompts?|rules)\s+(?:above|before|so\s+far)",
        # a role handed to the reader: "you are now DAN", "you are a helpful assistant", "from now on, you must…"
        r"\byou\s+are\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?" + _MODEL,
        r"\byou\s+are\s+now\s+in\s+[\w-]+\s+mode\b",
        r"\bfrom\s+now\s+on,?\s+you\s+(?:will|must|should|are\s+to)\s+(?:answer|reply|respond|say|act|only|ignore|pretend)",
        r"\b(?:ai|assistant|chat\s?bot|language\s+model|llm)s?\s+(?:reading|processing|summari[sz]ing)\s+this\b",
        r"\bas\s+an?\s+(?:ai|assistant|language\s+model),?\s+you\b",
        r"\b(?:new|updated|real|secret|hidden)\s+(?:system\s+)?instructions?\s*:",
        r"\b(?:reply|respond|answer|output)\s+(?:only|exactly)\s*(?:with\b|:|[\"“])",
        r"\b(?:reply|respond|answer)\s+with\s+exactly\b",
        r"(?:^|[\n.!?]\s*)\s*(?:system|assistant|developer)\s*:",  # a role label opening a line or sentence
        r"</?(?:system|instructions?|prompt|im_start|im_end)\b", r"\[/?(?:system|inst)\]", r"<\|[a-z_]+\|>",
    ]),
    re.I,
)


def suspects_last(passages: list) -> tuple[list, set[int]]:
    """Passages with those that address the model moved last (down-weighted), and their new numbers (1-based)."""
    clean = [p for p in passages if not addresses_model(p.text)]
    flagged = [p for p in passages if addresses_model(p.text)]
    return clean + flagged, set(range(len(clean) + 1, len(passages) + 1))


def addresses_model(text: str) -> bool:
    """Does the text speak to a language model (instructions, a role, a prompt's markup)?"""
    return bool(ADDRESSES_MODEL.search(text))


def without_injections(text: str) -> str:
    """The text without its sentences that address the model."""
    return " ".join(text[s:e] for s, e in split_sentences(text) if not addresses_model(text[s:e]))


def _stems(text: str) -> set[str]:
    """Content words cut to six letters, so 'Ukraine' meets 'Ukrainian' and 'deterring' meets 'deter'."""
    return {w[:6] if len(w) > 6 else w for w in query_terms(text)}


def supported(claim: str, passage_text: str) -> bool:
    """Does the claim share a content word (beyond stop words) with the passage, injected sentences aside?

    A claim with no content words of its own ("It is so.") is not judged here.
    """
    words = _stems(claim)
    return not words or bool(words & _stems(without_injections(passage_text)))
