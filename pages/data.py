"""Page: data (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("data", ui.stub("data"))
