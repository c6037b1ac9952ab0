-- The one rule for the flags and the reliability of every published value (docs/flags-and-reliability.md).
-- Loaded as temporary macros on the connection before the staging and indicator SQL run, so staging,
-- every indicator and the rolling means combine their inputs the same way.

-- The GSS letters present in any of `flags` (a list of flag strings, each zero or more letters), in the
-- fixed order c x z u p r b e.
create or replace temp macro mvk_letters(flags) as
    list_filter(['c', 'x', 'z', 'u', 'p', 'r', 'b', 'e'],
                lambda l: contains(array_to_string(list_filter(flags, lambda f: f is not null), ''), l));

-- The flag of a value derived from inputs with `flags`. With a value: the inputs' u p r b e (low
-- reliability, provisional, revised, break, estimated all still apply to what is computed from them).
-- Without a value: the strongest reason an input gives for its absence (c before x before z), else
-- `missing` ('x' an input is absent, 'z' a division by zero), plus r and b, which describe the cell and
-- the series rather than the number.
create or replace temp macro mvk_flag(value, flags, missing) as
    case
        when value is null then
            coalesce(list_filter(mvk_letters(flags), lambda l: l in ('c', 'x', 'z'))[1], missing)
            || array_to_string(list_filter(mvk_letters(flags), lambda l: l in ('r', 'b')), '')
        else array_to_string(list_filter(mvk_letters(flags), lambda l: l in ('u', 'p', 'r', 'b', 'e')), '')
    end;

-- The combined reliability of a value: the weakest of its inputs (illustrative < D < V2 < V < official).
-- Null inputs (a part that is absent) are ignored; no input at all gives null.
create or replace temp macro mvk_reliability(tags) as
    ['illustrative', 'D', 'V2', 'V', 'official'][
        list_min(list_transform(list_filter(tags, lambda t: t is not null),
                                lambda t: list_position(['illustrative', 'D', 'V2', 'V', 'official'], t)))];

-- Every distinct source URL of the inputs, sorted, separated by a space (a URL never holds one); an input
-- may itself carry several.
create or replace temp macro mvk_urls(urls) as
    array_to_string(list_sort(list_distinct(list_filter(
        flatten(list_transform(list_filter(urls, lambda u: u is not null), lambda u: string_split(u, ' '))),
        lambda u: u <> ''))), ' ');
