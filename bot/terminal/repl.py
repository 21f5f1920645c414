"""`newsbot chat`: a terminal REPL with line editing and history over the answer service."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from bot.answering.models import TURNS_KEPT, Answer, Turn
from bot.answering.service import AnswerService
from bot.logs import printable
from bot.terminal.interrupts import ctrl_c_interrupts, hold_ctrl_c
from bot.terminal.render import render_answer, render_details, render_digest, render_sources
from index.errors import QuestionError, ServerUnavailable

HELP = ("Ask a question about the indexed articles (\"timeline of …\" gives a dated timeline). "
        ":sources shows the last answer's quotes, :digest [topic] the stories since yesterday, :new starts a new "
        "conversation, :help shows this, :quit (or Ctrl-D) leaves; Ctrl-C cancels the line or the answer.")
COMMAND = re.compile(r"^:[A-Za-z]")  # ":foo": a command, never a question; ":)" is text


def _enable_line_editing(history_file: Path) -> None:
    """readline gives arrow keys and a persistent history when it is available."""
    try:
        import atexit
        import readline
    except ImportError:  # not on every platform; the REPL works without it
        return
    if not history_file.parent.is_dir():  # chat never makes a data dir (one on servers may not exist)
        return
    try:
        readline.read_history_file(history_file)
    except OSError:
        pass
    readline.set_history_length(1000)
    atexit.register(readline.write_history_file, history_file)


def run_repl(service: AnswerService, filters=None, stdin=None, stdout=None, asked_on: date | None = None) -> int:
    """Read questions until :quit or end of input; the model stays loaded between them (asked_on: --as-of)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if hasattr(stdin, "reconfigure"):  # a line of bad bytes is refused, not the end of the session
        stdin.reconfigure(errors="surrogateescape")
    interactive = stdin.isatty()
    if interactive:
        _enable_line_editing(service.settings.index.data_dir / "chat_history")
        hold_ctrl_c()  # too late for threads already started (cmd_chat holds it first), not for the model's
    print(HELP, file=stdout)
    service.warm_up()  # starts the model's threads: with Ctrl-C held, they never take it
    if interactive:
        ctrl_c_interrupts()
    last: Answer | None = None
    history: list[Turn] = []
    while True:
        line = _read(stdin, stdout, interactive)
        if line is None or line.strip() in (":quit", ":q", ":exit"):
            return 0
        command = line.strip()
        if not command:
            continue
        if not _utf8(command):
            print("error: that line is not valid UTF-8", file=stdout)
            continue
        if command == ":sources":
            print(render_sources(last), file=stdout)
        elif command == ":help":
            print(HELP, file=stdout)
        elif command == ":digest" or command.startswith(":digest "):
            try:
                print(_digest(service, command.removeprefix(":digest").strip(), asked_on), file=stdout)
            except ServerUnavailable as exc:
                print(printable(f"error: {exc.for_questions()}"), file=stdout)
        elif command == ":new":
            history, last = [], None
            print("(new conversation)", file=stdout)
        elif COMMAND.match(command):
            print(printable(f"unknown command {command.split()[0]}. {HELP}"), file=stdout)
        else:
            last = _ask(service, command, history, filters, stdout, asked_on) or last


def _utf8(text: str) -> bool:
    """Bytes that are not UTF-8 arrive as lone surrogates."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _digest(service: AnswerService, topic: str, asked_on: date | None = None) -> str:
    """The stories since yesterday (or over the dates the topic's time words name), biggest first."""
    from bot.answering.briefs.digest import DigestBuilder, digest_for

    return render_digest(digest_for(DigestBuilder(service.index, service.settings), topic, asked_on or date.today()))


def _read(stdin, stdout, interactive: bool) -> str | None:
    """One line of input, with a prompt; None at end of input (Ctrl-D), '' when Ctrl-C cancels the line."""
    try:
        if interactive:
            try:
                return input("newsbot> ")
            except EOFError:
                print(file=stdout)  # the shell's prompt starts on a line of its own
                return None
        print("newsbot> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        return None if line == "" else line.rstrip("\n")
    except KeyboardInterrupt:  # Ctrl-C at the prompt drops what was typed, not the session
        print(file=stdout, flush=True)
        return ""


def _ask(service: AnswerService, question: str, history: list[Turn], filters, stdout,
         asked_on: date | None = None) -> Answer | None:
    """Answer and print, streaming the text while an LLM writes it; earlier turns make follow-ups work."""
    stream = _Stream(stdout, service.settings.index_label)
    try:
        answer = service.answer(question, history=history[-TURNS_KEPT:], filters=filters, on_partial=stream.write,
                                asked_on=asked_on)
    except QuestionError as exc:
        print(printable(f"error: {exc}"), file=stdout)
        return None
    except ServerUnavailable as exc:  # the session lives; the next question tries the server again
        print(printable(f"error: {exc.for_questions()}"), file=stdout)
        return None
    except KeyboardInterrupt:  # Ctrl-C stops a long streamed answer, not the session
        print("\n(interrupted)", file=stdout)
        return None
    print(stream.finish(answer) + "\n", file=stdout, flush=True)
    history.append(Turn.of(question, answer))
    return answer


class _Stream:
    """Prints an answer's text as it is written, then whatever the final answer adds or changes."""

    def __init__(self, stdout, index: str = ""):
        self.stdout, self.index = stdout, index
        self.shown = ""
        self.styled = bool(getattr(stdout, "isatty", lambda: False)())  # bold only on a terminal

    def write(self, text: str) -> None:
        """on_partial: print what is new since the last call."""
        if text.startswith(self.shown):  # the checked text only grows; anything else waits for the end
            print(printable(text[len(self.shown):]), end="", file=self.stdout, flush=True)
            self.shown = text

    def finish(self, answer: Answer) -> str:
        """The rest to print: sources when the streamed text stands, else the whole (replaced) answer."""
        if not self.shown:
            return render_answer(answer, styled=self.styled, index=self.index)
        if answer.answer == self.shown:
            return render_details(answer, styled=self.styled, index=self.index)
        return "\n\n" + render_answer(answer, styled=self.styled, index=self.index)
