"""Database: typed SQLAlchemy models, engine/session helpers and Alembic migrations (server side only)."""
