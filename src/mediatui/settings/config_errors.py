"""What goes wrong with the config file or a profile's token source: said so that a person knows what to do."""

from __future__ import annotations


class ConfigError(Exception):
    """The config file, or a profile's token source, cannot be used; the message says what to do."""


class TokenSourceError(ConfigError):
    """A profile's token_command or token_env gave no token (the app can still ask for one)."""
