"""Answering: typed stages from a question to a cited answer (stages.py: plan → search → candidates → score →
judge → compose), with rooms for ranking/, time/, briefs/ and llm/. Knows nothing of Slack or the terminal;
reads the index only through `index.reader.IndexReader`."""
