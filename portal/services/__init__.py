"""What the portal does: plain arguments in, domain objects out, no HTTP."""
