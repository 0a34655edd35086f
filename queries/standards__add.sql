-- One checklist item (the default 24 standards seeded into a new database), with its English names.
-- params: $item_code, $dimension, $item_name, $max_score, $veto, $dimension_en, $item_name_en
insert into standards (item_code, dimension, item_name, max_score, veto, dimension_en, item_name_en)
values ($item_code, $dimension, $item_name, $max_score, $veto, $dimension_en, $item_name_en)
