-- Import batches, newest first: the Import page's history and `python -m branchboard batches`.
-- params: none
select
    batch_id,
    kind,
    file_name,
    rows,
    coalesce(replaced, 0) as replaced,
    imported_at,
    imported_by,
    status
from import_batches
order by batch_id desc
