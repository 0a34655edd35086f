-- English names for the stored items that are the default checklist's, word for word (a database from before the
-- checklist had English names); an item a committee renamed keeps none, and a name already given is kept.
-- params: $codes, $dimensions, $names, $dimensions_en, $names_en (the default checklist, item by item)
update standards
set
    dimension_en = coalesce(standards.dimension_en, d.dimension_en),
    item_name_en = coalesce(standards.item_name_en, d.item_name_en)
from (
    select
        unnest($codes) as item_code,
        unnest($dimensions) as dimension,
        unnest($names) as item_name,
        unnest($dimensions_en) as dimension_en,
        unnest($names_en) as item_name_en
) as d
where
    standards.item_code = d.item_code
    and standards.dimension = d.dimension
    and standards.item_name = d.item_name
