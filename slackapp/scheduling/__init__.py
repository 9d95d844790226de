"""The clock: due work, dispatch, recurrence rules."""
