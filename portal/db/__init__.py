"""The only code that talks to MongoDB: documents, indexes, repositories."""
