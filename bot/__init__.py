"""Retrieval, answering and the front ends: `answering/` (the answer service), `slack/`, `terminal/`,
`evaluation/`; `cli.py` parses and dispatches, `app.py` is the composition root."""
