-- The tables a database file holds (a backup is checked before it replaces the database).
-- params: none
select table_name
from information_schema.tables
