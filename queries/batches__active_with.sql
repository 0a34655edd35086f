-- The active batch that took this part (a sheet of a file, or a text file: its part sha) or stored this content
-- (content hash); batches from before import_parts existed are matched on their own hashes.
-- params: $part_sha, $content_hash
select b.batch_id
from import_batches as b
where
    b.status = 'active'
    and (
        exists (
            select 1
            from import_parts as p
            where p.batch_id = b.batch_id and (p.part_sha = $part_sha or p.content_hash = $content_hash)
        )
        or (
            not exists (
                select 1 from import_parts as p
                where p.batch_id = b.batch_id
            )
            and (b.sha256 = $part_sha or b.content_hash = $content_hash)
        )
    )
order by b.batch_id
limit 1
