"""mediatui: manage the media of a SelfCommunity community from a terminal."""

__version__ = "0.1.0"
