"""Tasks and their progress: suggestions and edits (`tasks`), charts (`charts`) and units'
progress reports (`reports`).

Layer 5: imports the model, text and errors; never the CLI.
"""
