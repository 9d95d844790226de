"""Due work on the clock: the dispatcher that claims and sends it, and what each kind sends."""
