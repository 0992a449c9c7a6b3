"""One controller per resource of the pages."""
