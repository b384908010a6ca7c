"""Command groups of the CLI, one module per feature; cli.py assembles them."""
