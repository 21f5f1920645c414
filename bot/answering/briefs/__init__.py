"""Briefs over many articles: timelines (one dated quote per event) and digests (clustered stories)."""
