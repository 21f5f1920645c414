"""Loading, chunking, embedding and storage of news articles."""
