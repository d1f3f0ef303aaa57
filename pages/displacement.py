"""Page: displacement (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("displacement", ui.stub("displacement"))
