"""Page: workplan (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("workplan", ui.stub("workplan"))
