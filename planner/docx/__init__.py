"""Word documents: the safety gate every file passes first (`safety`), WordprocessingML helpers
(`ooxml`), Word's styles and auto-numbering (`word_numbering`), the body as paragraphs and
tables (`body`), reading a plan from Word (`reader`), writing one (`writer`) and its HTML
preview (`preview`).

Layer 4: imports the layers below (`model`, `text`, `errors`) and `planner.nd30` for the
ND30 style names and font metrics; never drafting, progress or the CLI.
"""
