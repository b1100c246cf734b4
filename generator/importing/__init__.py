"""`archive import`: news texts (.txt, .docx) turned into articles.

Pure text work in the middle, input and output at the edges:

- read.py: the input files (encodings, .docx text) and the articles already imported
- text.py: a text's layout: title, paragraphs, captions, byline
- fields.py: dates and terms read from the text
- units.py: the unit named in the text, from the registry
- importer.py: one draft per text, and writing it
"""
