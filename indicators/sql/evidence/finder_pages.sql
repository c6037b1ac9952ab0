-- The pages the evidence finder reads: every stored (not withheld) page of every current document.
select p.document_sha256, d.agency_id, d.year, p.page, p.text, d.illustrative
from evidence.pages p
join evidence.documents d using (document_sha256)
where p.text is not null
order by d.agency_id, d.year, d.original_name, p.page
