-- Units no branch belongs to any more, kept in replaced_units under this batch (undoing the roster restores them).
-- params: $batch_id
insert into replaced_units by name
select
    t.*,
    $batch_id as replaced_by
from units as t
where not exists (
    select 1 from branches as b
    where b.unit_name = t.unit_name
)
