"""The Textual front end. Screens call the api layer from workers and render results."""
