"""Answers to what students ask: sourced entries in data/knowledge, and a matcher that answers only when sure.

entries.py loads and checks the files (a counselor edits them as data); matcher.py finds the entry that
answers a message with the sentence encoder and the entries' key terms; service.py is what actions call.
"""
