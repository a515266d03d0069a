"""Reading messages the way real people write them (places, searches, register, FAQ decision)."""
