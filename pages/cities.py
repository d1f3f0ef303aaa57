"""Page: cities (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("cities", ui.stub("cities"))
