"""Local stand-ins for what cannot run here (Slack, a hosted LLM) and hand-built data for unit tests."""
