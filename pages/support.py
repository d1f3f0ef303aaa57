"""Page: support (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("support", ui.stub("support"))
