"""SQL identifiers written into a statement: the one way the project quotes a name it did not choose.

DuckDB (and standard SQL) quote an identifier in double quotes, with each double quote inside doubled,
so a schema, table or column name read from the warehouse or a file's header is always one name.
"""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
