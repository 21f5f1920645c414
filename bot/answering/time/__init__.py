"""Time in questions: time words to date windows, the window as filters, "the latest" newest first."""
