"""Due work of step 1: step reminders and the "act quickly" nudge (issue: steps 1 and 2)."""
