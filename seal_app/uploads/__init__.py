"""Safe uploads: content checks and the one store for files under the instance folder."""
