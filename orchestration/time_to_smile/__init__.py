"""Time to Smile: an open customer-experience warehouse."""
