-- The agencies' own documents (annual reports, reports-back) as evidence for the action programme's
-- measures (issue 10). Documents and pages are kept as history, like observations: a document is
-- identified by its content hash, its file is a read-only snapshot, and its pages are never edited.
create schema if not exists evidence;

-- Every accepted document (PDF or DOCX), with the agency and year it reports on.
create table if not exists evidence.documents (
    document_sha256  varchar primary key,
    original_name    varchar not null,
    format           varchar not null,     -- pdf | docx
    agency_id        varchar not null,
    year             integer not null,
    doc_type         varchar not null,     -- arsredovisning | aterrapportering | other
    title            varchar,
    page_count       integer not null,
    pages_withheld   integer not null,     -- pages not stored because they hold a personal identity number
    extractor        varchar not null,     -- library and version that extracted the text
    recognised_by    varchar not null,     -- how agency and year were found: text | metadata | file_name | cli
    reliability      varchar not null,     -- official | V | V2 | D | illustrative (the .provenance.yaml)
    illustrative     boolean not null,
    received_at      timestamp not null
);

-- One row per page. A withheld page has no text: only the reason (and the masked number) is kept.
create table if not exists evidence.pages (
    document_sha256  varchar not null,
    page             integer not null,     -- 1-based, the page as a reader of the file counts it
    text             varchar,              -- null when withheld
    withheld         varchar,              -- null, or the reason (identity_number)
    masked           varchar,              -- the masked number(s) shown in the log, never the number
    primary key (document_sha256, page)
);

-- Candidate passages per measure, recomputed on every run from the pages and the register.
create or replace table evidence.candidates (
    measure_id       varchar not null,
    document_sha256  varchar not null,
    page             integer not null,
    rank             integer not null,     -- 1 = the finder's best page for this measure
    score            double not null,
    match_kind       varchar not null,     -- measure_id | reference | title
    excerpt          varchar not null,
    suggested_status varchar not null,     -- a status code of the register's taxonomy, or okand
    status_words     varchar not null,     -- the words that suggest it, comma-separated
    illustrative     boolean not null      -- the document is illustrative
);

-- Analysts' decisions from review workbooks (mvk evidence → filled → mvk ingest). Append-only: a later
-- review of the same measure, document and page supersedes an earlier one by received_at.
create table if not exists evidence.decisions (
    measure_id       varchar not null,
    year             integer not null,
    document_sha256  varchar,              -- null when the decision is "no evidence"
    page             integer,
    decision         varchar not null,     -- a status code, or ingen_evidens (the passage is not evidence)
    comment          varchar,
    location         varchar not null,     -- sheet and cell in the review workbook
    review_sha256    varchar not null,
    reviewer         varchar,
    received_at      timestamp not null,
    illustrative     boolean not null      -- the review workbook (or the document it cites) is illustrative
);

-- Documents refused, with the rule and the place, never a personal identity number.
create table if not exists evidence.rejected_documents (
    document_sha256  varchar not null,
    original_name    varchar not null,
    message_key      varchar not null,
    location         varchar not null,
    message_sv       varchar not null,
    message_en       varchar not null,
    recorded_at      timestamp not null
);
