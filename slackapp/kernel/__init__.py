"""The kernel under the services: the clock, time zones, recurrence rules and due work."""
