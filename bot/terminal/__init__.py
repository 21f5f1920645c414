"""The terminal front end: the CLI's commands, the REPL, plain-text rendering and progress bars."""
