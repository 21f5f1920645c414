"""The LLM step: chat-model factory, prompts, the sentence-by-sentence citation check, injection flags."""
