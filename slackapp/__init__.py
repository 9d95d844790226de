"""Second Chance for Slack."""
