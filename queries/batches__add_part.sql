-- One part of a batch: a sheet of a workbook (or the whole text file), with its hashes, for the same-file checks.
-- params: $batch_id, $sheet, $part_sha, $content_hash, $rows
insert into import_parts (batch_id, sheet, part_sha, content_hash, rows)
values ($batch_id, $sheet, $part_sha, $content_hash, $rows)
