"""The archive's vocabulary for "Mente du …?".

The function that fills the table is defined now in minutes/sql/item_search.sql (migration
0016 reads the words from the item's search row); this is the SQL as this migration ran it.

Uses pg_trgm where the server has it (contrib); the embedded server of a bare machine has
not, and search_suggest then finds candidates by length instead.
"""

from django.db import migrations

SQL = r"""
-- The archive's own vocabulary for "Mente du …?" (minutes/search_suggest.py): every lexeme of
-- an item's title line (weight A of its search vector: title and case number), kept by a
-- statement trigger on the items. Titles name an item's subject, the words people search for;
-- the body's far larger vocabulary would cost ingestion for little gain. A word stays when its
-- items go (a suggestion is checked against the archive before it is offered).
CREATE TABLE minutes_searchword (
    word text PRIMARY KEY
);
-- Nearest words by trigram similarity where the server has pg_trgm (contrib; a trusted
-- extension, so the database owner may create it). The embedded server of a bare machine (the
-- `pgserver` wheel) has none: there candidates come from this length index instead.
CREATE INDEX searchword_length_idx ON minutes_searchword (length(word), word);
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX searchword_trgm_idx ON minutes_searchword USING gin (word gin_trgm_ops);
    END IF;
END
$do$;

-- Letters (and inner hyphens) only, 4 to 40 of them: numbers and one-letter pieces are no
-- words to suggest.
CREATE FUNCTION minutes_searchword_add() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO minutes_searchword (word)
    SELECT DISTINCT w
    FROM changed_rows r, unnest(tsvector_to_array(ts_filter(r.search_vector, '{a}'))) AS w
    WHERE w ~ '^[[:alpha:]][[:alpha:]-]{2,38}[[:alpha:]]$'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER searchword_items_inserted AFTER INSERT ON minutes_agendaitem
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION minutes_searchword_add();
CREATE TRIGGER searchword_items_updated AFTER UPDATE ON minutes_agendaitem
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
    EXECUTE FUNCTION minutes_searchword_add();

-- Items that exist already.
INSERT INTO minutes_searchword (word)
SELECT DISTINCT w
FROM minutes_agendaitem i, unnest(tsvector_to_array(ts_filter(i.search_vector, '{a}'))) AS w
WHERE w ~ '^[[:alpha:]][[:alpha:]-]{2,38}[[:alpha:]]$'
ON CONFLICT DO NOTHING;
"""

REVERSE = """
DROP TRIGGER IF EXISTS searchword_items_inserted ON minutes_agendaitem;
DROP TRIGGER IF EXISTS searchword_items_updated ON minutes_agendaitem;
DROP FUNCTION IF EXISTS minutes_searchword_add();
DROP TABLE IF EXISTS minutes_searchword;
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0013_upload_permission")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
