"""Every article format, and every kind of bad input, through the loaders."""

from __future__ import annotations

import json

from helpers import STARMER, write_json

from index.loaders import load_file


def test_wire_text_byline_dateline_credit(tmp_path):
    loaded = load_file(STARMER, STARMER.parent)
    assert loaded.problems == []
    (art,) = loaded.articles
    assert art.author == "Elizabeth Piper"
    assert art.source == "Reuters"
    assert art.place == "Washington"
    assert art.title.startswith("British Prime Minister Keir Starmer urged")
    assert art.key == "starmer-backstop.txt"
    assert art.text == STARMER.read_text(encoding="utf-8")


def test_markdown_heading_and_front_matter(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("---\nurl: https://ex.com/x\ndate: 2024-02-01\n---\n# Rates on hold\n\n"
                  "LONDON, Feb 1 (AP) - The bank held rates.\n\n(Reporting by Ann Lee; Editing by Bo Chan)\n")
    (art,) = load_file(md, tmp_path).articles
    assert (art.title, art.source, art.place, art.author) == ("Rates on hold", "AP", "London", "Ann Lee")
    assert art.url == "https://ex.com/x" and art.key == "https://ex.com/x"
    assert art.published == "2024-02-01"


def test_plain_text_headline_first_line(tmp_path):
    txt = tmp_path / "b.txt"
    txt.write_text("Storm closes schools\nBy Jo Park\nSchools were closed on Monday as the storm hit.\n")
    (art,) = load_file(txt, tmp_path).articles
    assert art.title == "Storm closes schools"
    assert art.author == "Jo Park"


def test_html_uses_extractor_metadata(tmp_path):
    page = tmp_path / "p.html"
    body = " ".join(["The council approved the new bridge after a long debate about its cost."] * 3)
    page.write_text(
        '<html><head><title>Bridge approved | Daily</title><link rel="canonical" href="https://daily.ex/bridge">'
        '<meta name="author" content="Kim Roe"><meta property="article:published_time" content="2024-03-04">'
        '<meta property="og:site_name" content="The Daily"></head><body><nav>Home News Sport</nav>'
        f"<article><h1>Bridge approved</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )
    (art,) = load_file(page, tmp_path).articles
    assert art.title == "Bridge approved"
    assert art.author == "Kim Roe"
    assert art.url == "https://daily.ex/bridge"
    assert art.published == "2024-03-04"
    assert art.source == "The Daily"
    assert "Home News Sport" not in art.text and "new bridge" in art.text


def test_json_field_alternatives(tmp_path):
    f = write_json(tmp_path / "a.json", title="T", body="Body text here.", url="https://www.usatoday.com/x",
                   published_at="2024-01-05", author=["A One", "B Two"])
    (art,) = load_file(f, tmp_path).articles
    assert (art.text, art.published, art.author, art.source) == ("Body text here.", "2024-01-05", "A One, B Two", "usatoday.com")


def test_jsonl_one_article_per_line_bad_line_reported(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [json.dumps({"title": "One", "content": "First story."}), "{not json", "",
             json.dumps({"title": "Two", "text": "Second story.", "source": "AP", "date": "2024-01-02"})]
    f.write_text("\n".join(lines))
    loaded = load_file(f, tmp_path)
    assert [a.title for a in loaded.articles] == ["One", "Two"]
    assert loaded.articles[1].source == "AP" and loaded.articles[1].published == "2024-01-02"
    (problem,) = loaded.problems
    assert problem.where.endswith("feed.jsonl:2") and "malformed JSON" in problem.reason


def test_realtimeqa_format(tmp_path):
    f = write_json(tmp_path / "r.json", url="https://www.cnn.com/a", title="CNN story", text="Text.", week="20240105")
    (art,) = load_file(f, tmp_path).articles
    assert (art.title, art.url, art.source) == ("CNN story", "https://www.cnn.com/a", "cnn.com")


def _problem(path, tmp_path):
    loaded = load_file(path, tmp_path)
    assert loaded.articles == []
    (problem,) = loaded.problems
    assert str(path) in problem.where
    return problem.reason


def test_bad_inputs_are_named_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    assert _problem(tmp_path / "empty.txt", tmp_path) == "empty file"
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    assert "binary" in _problem(tmp_path / "bin.txt", tmp_path)
    (tmp_path / "bad.json").write_text('{"title": "x", "text": ')
    assert "malformed JSON" in _problem(tmp_path / "bad.json", tmp_path)
    write_json(tmp_path / "notext.json", title="x")
    assert "missing field 'text'" in _problem(tmp_path / "notext.json", tmp_path)
    write_json(tmp_path / "badtype.json", text="ok", title={"a": 1})
    assert "field 'title'" in _problem(tmp_path / "badtype.json", tmp_path)
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert "unsupported" in _problem(tmp_path / "x.pdf", tmp_path)


def test_cp1252_fallback_and_undecodable(tmp_path):
    (tmp_path / "win.txt").write_bytes("Caf\u00e9 owners say prices rose \u2013 again.".encode("cp1252"))
    (art,) = load_file(tmp_path / "win.txt", tmp_path).articles
    assert "Café" in art.text and "–" in art.text
    (tmp_path / "junk.txt").write_bytes(b"abc \x81\x8d\x8f\x90\x9d more")
    assert "not valid UTF-8" in _problem(tmp_path / "junk.txt", tmp_path)


def test_undated_article_takes_its_day_from_the_url(tmp_path):
    urls = {"https://www.usatoday.com/story/news/2024/01/02/storm/7208/": "2024-01-02",
            "https://www.cnn.com/2023-11-05-markets-rally": "2023-11-05",
            "https://news.example/2021/02/30/not-a-day": "", "https://news.example/story/20240102": ""}
    for n, (url, day) in enumerate(urls.items()):
        f = write_json(tmp_path / f"u{n}.json", title="T", text="Body text here.", url=url)
        assert load_file(f, tmp_path).articles[0].published == day, url
    dated = write_json(tmp_path / "dated.json", title="T", text="Body.", date="2023-05-01",
                       url="https://news.example/2024/01/02/x")
    assert load_file(dated, tmp_path).articles[0].published == "2023-05-01"  # a stated date wins
