-- PostgreSQL's variants of queries in tenants.sql.

-- name: count-rules
-- COUNT(*) is a bigint on PostgreSQL; "::" is a cast, not a parameter.
SELECT COUNT(*)::integer AS rules FROM rules WHERE tenant_id = :tenant_id AND deleted_at IS NULL;
