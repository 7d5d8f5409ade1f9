"""A local stand-in for a SelfCommunity community's media API (a test double).

No Textual and no tui imports here: it serves tests, benchmarks and the demo.
"""

from mediatui.sandbox.config import DEFAULT_TOKEN, DEFAULT_USER, OTHER_USER, Faults, SandboxConfig, parse_tokens
from mediatui.sandbox.server import SandboxServer

__all__ = ["DEFAULT_TOKEN", "DEFAULT_USER", "OTHER_USER", "Faults", "SandboxConfig", "SandboxServer", "parse_tokens"]
