-- PostgreSQL's variants of queries in users.sql.

-- name: find-users
-- ILIKE matches without regard to case.
SELECT id, email, display_name
FROM users
WHERE tenant_id = :tenant_id AND deleted_at IS NULL
  AND (email ILIKE :pattern OR display_name ILIKE :pattern)
ORDER BY email;
