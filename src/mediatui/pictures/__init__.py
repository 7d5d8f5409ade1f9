"""Pictures of media: fetched without the token, decoded with limits, drawn as half blocks or Kitty
graphics. No Textual.
"""
