"""The chat-model factory: a LangChain chat model for NEWSBOT_LLM, its provider package imported only then."""

from __future__ import annotations

import importlib

from bot.answering.errors import LLMConfigError
from bot.settings import Settings

# provider -> (module to import, newsbot extra that installs it)
PROVIDERS = {
    "openai": ("langchain_openai", "openai"),
    "anthropic": ("langchain_anthropic", "anthropic"),
    "ollama": ("langchain_ollama", "ollama"),
}


def parse_model(settings: Settings) -> tuple[str, str]:
    """(provider, model) from NEWSBOT_LLM; a bare name with a base URL means an OpenAI-compatible server."""
    provider, sep, model = settings.llm.model.partition(":")
    if not sep:
        if settings.llm.base_url:
            return "openai", settings.llm.model.strip()
        raise LLMConfigError(f"NEWSBOT_LLM={settings.llm.model!r} should be provider:model, "
                             "e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5 or ollama:llama3.1")
    return provider.strip().lower().replace("-", "_"), model.strip()


def system_role(settings: Settings) -> str:
    """Where the rules go: 'system', or 'user' (the first user message) for templates that may drop the system role."""
    if settings.llm.system_role != "auto" or not settings.llm.model:
        return "system" if settings.llm.system_role == "auto" else settings.llm.system_role
    provider, model = parse_model(settings)
    # a local OpenAI-compatible server applies whatever chat template it was started with (llama.cpp's gemma
    # format drops system messages); the first user message survives every template
    if (provider == "openai" and settings.llm.base_url) or "gemma" in model.lower():
        return "user"
    return "system"


def make_chat_model(settings: Settings):
    """A LangChain chat model for NEWSBOT_LLM; imports its provider package now and contacts nothing."""
    provider, model = parse_model(settings)
    if provider in PROVIDERS:
        module, extra = PROVIDERS[provider]
        try:
            importlib.import_module(module)
        except ImportError:
            raise LLMConfigError(f"NEWSBOT_LLM={settings.llm.model} needs the {module.replace('_', '-')} package, "
                                 f"which is not installed: pip install 'newsbot[{extra}]'") from None
    from langchain.chat_models import init_chat_model  # not at import time: only the LLM path pays for it

    try:
        return init_chat_model(model, model_provider=provider, **model_kwargs(provider, settings))
    except Exception as exc:  # a missing key, an unknown provider: one line, no traceback, no secret
        raise LLMConfigError(f"cannot set up NEWSBOT_LLM={settings.llm.model}: {exc}") from None


def model_kwargs(provider: str, settings: Settings) -> dict:
    """Constructor arguments for the provider's chat model class from the LLM settings.

    No client retries: a retry after a timeout would queue behind the generation a local server is still
    running; the answerer retries other failures itself (bot/answering/llm/answerer.py).
    """
    kwargs: dict = {"temperature": settings.llm.temperature}
    if settings.llm.base_url:
        kwargs["base_url"] = settings.llm.base_url
    if provider == "ollama":
        # ChatOllama calls max tokens num_predict, has no retries, and takes its timeout via the httpx client
        return {**kwargs, "num_predict": settings.llm.max_tokens, "client_kwargs": {"timeout": settings.llm.timeout}}
    kwargs.update(timeout=settings.llm.timeout, max_retries=0)
    if provider == "openai" and settings.llm.base_url:
        # langchain-openai renames max_tokens to max_completion_tokens, which llama.cpp, LM Studio and other
        # OpenAI-compatible servers ignore (they generate until the context is full); extra_body is sent as is
        kwargs["extra_body"] = {"max_tokens": settings.llm.max_tokens}
    else:
        kwargs["max_tokens"] = settings.llm.max_tokens
    if settings.llm.api_key.get_secret_value():
        kwargs["api_key"] = settings.llm.api_key  # a SecretStr: masked in any repr or error message
    return kwargs
