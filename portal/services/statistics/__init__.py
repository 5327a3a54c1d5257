"""Statistics, monitoring of late datasets, reminders, quality scores and the AI-ready section."""
