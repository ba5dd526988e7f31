"""Text primitives every layer shares: cleaning (NFC, characters XML cannot hold), folding
for search and comparison, numbering labels (Roman, Arabic, Vietnamese letters), Vietnamese
dates, and decoding the CSV files spreadsheets save.

Layer 0: imports nothing from planner but `planner.errors`.
"""
