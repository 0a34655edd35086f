-- One batch's status (active or undone), for undo.
-- params: $batch_id
select status
from import_batches
where batch_id = $batch_id
