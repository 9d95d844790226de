"""The Slack simulator: a Slack-compatible Web API (fakeslack) and the sandbox page that plays
Slack in a browser (sandbox). Shipped, since `secondchance sandbox` runs it; the app never imports it."""
