"""Shared fixtures. Each app keeps its own tests under src/egov/<app>/tests/."""
