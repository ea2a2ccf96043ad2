"""Dates and numbers in the portal as nordic.formatting writes them on the debtors' letters
(sv 2025-06-23, nb 23.06.2025, fi 23.6.2025, en 23 June 2025; a decimal comma and a no-break
space between thousands in the Nordic languages), so that a creditor reads the same date on the
screen as on the letter. tests/test_languages.py keeps the two equal."""
