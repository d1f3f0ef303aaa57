"""Page: country (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("country", ui.stub("country"))
