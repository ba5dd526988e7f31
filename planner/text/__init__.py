"""Text primitives every layer shares: cleaning (`clean`: NFC, characters XML cannot hold),
folding for search and comparison (`fold`), numbering labels (`numbering`: Roman, Arabic,
Vietnamese letters), Vietnamese dates read and written (`dates`), and decoding the CSV files
spreadsheets save (`decode`).

Layer 0: imports nothing from planner but `planner.errors`.
"""
