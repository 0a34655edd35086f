-- How many stored rows a batch replaced (the batch list shows it).
-- params: $batch_id, $replaced
update import_batches
set replaced = $replaced
where batch_id = $batch_id
