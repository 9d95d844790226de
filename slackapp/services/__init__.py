"""What the product does. No Slack imports here: listeners and jobs call these."""
