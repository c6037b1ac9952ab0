-- A document whose file is no longer in DATA_DIR/documents/ leaves the warehouse (reported by the asset),
-- so a rerun into an old folder equals a fresh build.
delete from evidence.pages where document_sha256 = $sha;
delete from evidence.documents where document_sha256 = $sha;
