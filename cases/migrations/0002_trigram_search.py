from django.db import migrations

# Fuzzy name matching uses PostgreSQL's pg_trgm (similarity() and the % operator),
# with trigram indexes on names and aliases. Where the extension is not
# installed (the embedded development server ships without it), the same two
# functions are defined in SQL with pg_trgm's semantics, unindexed: slower on a
# large register, identical in what they find.
FORWARD = r"""
DO $outer$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        NULL;
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX IF NOT EXISTS cases_nominal_family_name_trgm
                 ON cases_nominal USING gin (family_name gin_trgm_ops)';
        EXECUTE 'CREATE INDEX IF NOT EXISTS cases_alias_name_trgm
                 ON cases_alias USING gin (name gin_trgm_ops)';
    ELSE
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION jmappa_trigrams(t text) RETURNS SETOF text
            LANGUAGE sql IMMUTABLE AS $$
                SELECT DISTINCT substr(w, i, 3)
                FROM (SELECT '  ' || word || ' ' AS w
                      FROM regexp_split_to_table(lower(coalesce(t, '')), '[^[:alnum:]]+') AS word
                      WHERE word <> '') AS words,
                     generate_series(1, length(w) - 2) AS i
            $$
        $f$;
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION similarity(a text, b text) RETURNS real
            LANGUAGE sql IMMUTABLE AS $$
                SELECT CASE WHEN u.n = 0 THEN 0::real ELSE (i.n::real / u.n::real) END
                FROM (SELECT count(*) AS n FROM (SELECT jmappa_trigrams(a)
                      UNION SELECT jmappa_trigrams(b)) x) AS u,
                     (SELECT count(*) AS n FROM (SELECT jmappa_trigrams(a)
                      INTERSECT SELECT jmappa_trigrams(b)) y) AS i
            $$
        $f$;
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION jmappa_similar(a text, b text) RETURNS boolean
            LANGUAGE sql IMMUTABLE AS $$ SELECT similarity(a, b) >= 0.3 $$
        $f$;
        EXECUTE 'CREATE OPERATOR % (LEFTARG = text, RIGHTARG = text,
                 FUNCTION = jmappa_similar)';
    END IF;
END
$outer$;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
