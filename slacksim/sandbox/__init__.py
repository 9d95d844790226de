"""The local sandbox: the real app, an embedded fake Slack, and a web page that plays Slack."""
