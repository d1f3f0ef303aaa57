"""MIRPS Dashboard: everything below the page layout."""
