"""Hostile bytes in questions and articles: nothing crashes, nothing drives the terminal, batches stay in step."""

from __future__ import annotations

import io
import json
import sys

from children import NEWSBOT, one_line_error, run
from helpers import write_json

from bot.cli import main
from bot.terminal.repl import run_repl

BACKSTOP = "what does Starmer mean by backstop?"
# OSC sets the window title, CSI 2J clears the screen, a C1 CSI (U+009B) does the same, U+202E reverses text
TITLE, CLEAR, C1, RLO, BEL = "\x1b]0;pwned\x07", "\x1b[2J", "\x9b2J", "\u202e", "\x07"
RAW = (TITLE, CLEAR, "\x1b", C1, RLO, BEL, "\r")


def _planted(folder):
    write_json(folder / "planted.json", title=f"{TITLE}Zeppelin news", url="https://news.example/zeppelin",
               source=f"Evil{CLEAR} Times", author=f"A{RLO}B",
               text=f"Mayor Ostrava said the zeppelin festival {CLEAR}is cancelled{C1} this year.\r Overwritten. "
                    f"Residents of Ostrava were sad {TITLE} about the zeppelin festival.")


def _inert(text: str) -> None:
    for raw in RAW:
        assert raw not in text, repr(raw)


def test_ask_and_chat_print_article_text_inert(capsys, articles_dir, embedder):
    _planted(articles_dir)
    assert main(["index", "-q", str(articles_dir)]) == 0
    capsys.readouterr()
    assert main(["ask", "Why did Mayor Ostrava cancel the zeppelin festival?"]) == 0
    out = capsys.readouterr().out
    assert "zeppelin" in out and "\\x1b]0;pwned\\x07" in out  # shown, escaped
    _inert(out)
    assert main(["ask", f"{CLEAR}what about the {TITLE}quokka parliament?"]) == 0  # the echoed question
    out = capsys.readouterr().out
    assert "quokka" in out
    _inert(out)
    assert main(["ask", "--json", "Why did Mayor Ostrava cancel the zeppelin festival?"]) == 0
    out = capsys.readouterr().out
    _inert(out)
    obj = json.loads(out)
    assert "\\u009b" in out and C1 in obj["answer"]  # escaped on the wire, intact as data
    assert any(c["title"] == f"{TITLE}Zeppelin news" for c in obj["citations"]), obj
    stdout = io.StringIO()
    from bot.app import build_service
    from bot.settings import Settings

    run_repl(build_service(Settings()), stdin=io.StringIO("Why did Mayor Ostrava cancel the zeppelin festival?\n"
                                                          ":sources\n:quit\n"), stdout=stdout)
    assert "zeppelin" in stdout.getvalue()
    _inert(stdout.getvalue())


def test_a_question_that_is_not_utf8_is_refused_in_one_line():
    done = run([NEWSBOT, "ask", b"what about caf\xe9 prices?"])  # argv bytes: no model is loaded for this
    assert done.returncode == 2
    assert one_line_error(done.stderr) == "newsbot ask: the question is not valid UTF-8 (byte 0xe9 at offset 14)"


def test_batch_gives_exactly_one_json_object_per_input_line(capsys, monkeypatch, articles_dir, embedder):
    assert main(["index", "-q", str(articles_dir)]) == 0
    capsys.readouterr()
    lines = [BACKSTOP.encode(), b"caf\xe9 \xff\xfe prices?", b"", b"   ", b"x" * 1200, "Who edited the article?".encode(),
             f"{TITLE}who reported it?".encode()]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n".join(lines) + b"\r\n")))
    code, out = main(["ask", "--json", "-"]), capsys.readouterr().out
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == len(lines) and code == 2
    assert [o["answered"] for o in objs] == [True, False, False, False, False, True, objs[6]["answered"]]
    assert objs[1]["question"] == "caf\\xe9 \\xff\\xfe prices?"
    assert objs[1]["error"] == "line 2 is not valid UTF-8 (byte 0xe9 at offset 3)"
    assert objs[2]["error"] == objs[3]["error"] == "the question is empty"
    assert "NEWSBOT_MAX_QUESTION_CHARS" in objs[4]["error"]
    assert objs[5]["question"] == "Who edited the article?" and "error" not in objs[5]
    assert objs[6]["question"] == f"{TITLE}who reported it?"
    _inert(out)


def test_a_question_that_breaks_the_service_is_an_error_object_not_the_end_of_the_batch(capsys, monkeypatch, service,
                                                                                       tmp_path):
    import tempfile

    from bot.answering.service import AnswerService

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the traceback is written
    real = AnswerService.answer

    def flaky(self, question, **kwargs):
        if "boom" in question:
            raise RuntimeError("the index exploded")
        return real(self, question, **kwargs)

    monkeypatch.setattr(AnswerService, "answer", flaky)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"boom\n" + BACKSTOP.encode() + b"\n")))
    code, out = main(["ask", "--json", "-"]), capsys.readouterr().out
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 70 and second["answered"] is True
    assert first["error"].startswith("line 1: unexpected error (RuntimeError: the index exploded); reference ")
    (written,) = tmp_path.glob("newsbot-error-*.txt")
    assert "the index exploded" in written.read_text() and first["error"].endswith(f"traceback in {written}")
