-- One checklist item (the default 24 standards seeded into a new database).
-- params: $item_code, $dimension, $item_name, $max_score, $veto
insert into standards (item_code, dimension, item_name, max_score, veto)
values ($item_code, $dimension, $item_name, $max_score, $veto)
