-- The warehouse: every observation keeps its source, the snapshot (content hash) of the file it came
-- from and its location in that file, its GSS flag and its reliability (BRIEF.md §0, §11, §12).
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists indicators;

create table if not exists raw.snapshots (
    sha256         varchar primary key,   -- content hash of the file as received
    source_id      varchar not null,
    original_name  varchar not null,
    stored_path    varchar not null,      -- relative to the warehouse folder; never changed once written
    bytes          bigint  not null,
    format         varchar not null,
    encoding       varchar not null,
    retrieved      date,                  -- when the analyst downloaded it (provenance file), else null
    ingested_at    timestamp not null,
    load_seq       integer not null,      -- position in the source's load order (1, 2, …)
    provenance_sha256 varchar,            -- the .provenance.yaml beside the file, kept as a snapshot too
    withdraw       boolean not null,      -- the analyst asked that cells this file no longer holds be withdrawn
    spec_sha256    varchar not null,      -- the source spec the file was read with
    reader_version varchar not null       -- the code that read it: a changed reader reloads the source
);

create table if not exists raw.observations (
    source_id        varchar not null,
    snapshot_sha256  varchar not null,
    location         varchar not null,    -- PX DATA[r,c] / CSV line and column / XLSX sheet!cell
    year             integer not null,    -- reference year
    sex              varchar not null,    -- K, M, T
    region           varchar not null,    -- 00, 01–25, four-digit kommun
    police_region    varchar not null,
    age_group        varchar not null,
    offence          varchar not null,
    relation         varchar not null,
    violence_type    varchar not null,
    sanction         varchar not null,
    programme        varchar not null,
    measure          varchar not null,
    value            double,              -- null when the publisher gave a marker instead of a number
    flag             varchar not null,    -- '' or one GSS shorthand letter
    source_symbol    varchar,             -- the publisher's own marker, kept verbatim
    reliability      varchar not null,    -- official | V | V2 | D | illustrative
    source_url       varchar,
    illustrative     boolean not null,
    note             varchar,
    revised          boolean not null default false  -- a later file changed this cell's value, flag or reliability
);

-- Every change a corrected file makes to a value already loaded: nothing is overwritten silently.
create table if not exists raw.revisions (
    source_id        varchar not null,
    year             integer not null,
    dimensions       varchar not null,    -- the observation's key, e.g. "sex=K; region=01; measure=victims"
    old_value        double,
    new_value        double,              -- null when the corrected file no longer has the observation
    old_flag         varchar,
    new_flag         varchar,
    old_reliability  varchar,
    new_reliability  varchar,
    kind             varchar not null,    -- revised | withdrawn
    old_snapshot     varchar not null,
    new_snapshot     varchar not null,
    revised_on       date not null
);

-- The layout of the raw tables; a warehouse written with another layout is rebuilt from its snapshots.
create table if not exists raw.schema_version (version integer not null);
