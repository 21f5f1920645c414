"""Answering: the answer service and its LangChain chain — hybrid retrieval, the extractive step,
answerability, the LLM step and its chat-model factory, and the answer's data types. Knows nothing
of Slack or the terminal; reads the index only through `index.reader.IndexReader`."""
