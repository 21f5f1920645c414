"""Retrieval, answering and the front ends (CLI, REPL, Slack)."""
