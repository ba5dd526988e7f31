"""The directive catalogue: its rows (`model`), the search index (`index`), catalogue files
in the forms offices have (`files`), the user's own rows kept in the store (`user_rows`), and
citations of catalogue documents written and found in text (`citation`).

Layer 3: imports `planner.model`, `planner.store`, `planner.text`, `planner.errors`.
"""
