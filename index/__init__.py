"""Loading, chunking, embedding and storage of news articles; `reader.IndexReader` is the door answering uses."""
