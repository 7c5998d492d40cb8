"""Policy: `can`, `require`, `scope`. Rules live in each app's policy.py."""
