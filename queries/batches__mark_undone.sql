-- A batch undone: when and by whom.
-- params: $batch_id, $undone_by
update import_batches
set status = 'undone', undone_at = current_timestamp, undone_by = $undone_by
where batch_id = $batch_id
