-- The candidate passages of documents about report year $year, with the document's file name, for the
-- review workbook (mvk evidence). Best first per measure.
select c.measure_id, c.document_sha256, d.original_name as document_name, c.page, c.rank, c.score,
       c.match_kind, c.excerpt, c.suggested_status, c.status_words,
       c.illustrative or d.illustrative as illustrative
from evidence.candidates c
join evidence.documents d using (document_sha256)
where d.year = $year
order by c.measure_id, c.rank, c.document_sha256, c.page
