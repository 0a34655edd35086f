-- Record a new import batch inside the import's transaction; returns its id.
-- params: $kind, $file_name, $sha256, $rows, $imported_by, $content_hash
insert into import_batches (kind, file_name, sha256, rows, imported_by, content_hash)
values ($kind, $file_name, $sha256, $rows, $imported_by, $content_hash)
returning batch_id
