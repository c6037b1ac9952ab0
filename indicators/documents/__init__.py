"""Agency documents (annual reports, reports-back on government assignments) as evidence (issue 10).

``extract`` turns a PDF or DOCX into cleaned page texts, refusing files that cannot be read honestly
(encrypted, scanned without a text layer, damaged, tracked changes) and withholding any page that holds
a personal identity number; ``recognise`` finds the agency, year and kind of document. Pure Python, no
Dagster: the pipeline and ``mvk ingest`` call these functions. docs/documents.md explains the choices.
"""
