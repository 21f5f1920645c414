"""The Slack front end: Bolt listeners, the answerer that turns an answer into Block Kit, serving
(Socket Mode or HTTP), the conversation and feedback store, and the app manifest."""
