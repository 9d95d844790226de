"""Pure functions from domain data to Block Kit. No I/O, no database."""
