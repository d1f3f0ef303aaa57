"""Page: plans (coming; the frame says what it will answer)."""

from mirps_dash import ui

ui.run("plans", ui.stub("plans"))
