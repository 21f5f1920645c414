"""Ranking and judging candidate sentences: hand-set scores, features, the learned models, short answers, answerability."""
