"""Thin commands: parse arguments, call a stage, turn problems into exit codes."""
