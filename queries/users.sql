-- name: create-user
INSERT INTO users (id, tenant_id, email, display_name, role)
VALUES (:id, :tenant_id, :email, :display_name, :role);

-- name: tenant-users
-- A tenant's live users, by email.
SELECT id, email, display_name, role
FROM users
WHERE tenant_id = :tenant_id AND deleted_at IS NULL
ORDER BY email;

-- name: find-users
-- Users whose email or name matches a LIKE pattern, whatever the case
-- (:pattern is given once and bound twice).
SELECT id, email, display_name
FROM users
WHERE tenant_id = :tenant_id AND deleted_at IS NULL
  AND (LOWER(email) LIKE LOWER(:pattern) OR LOWER(display_name) LIKE LOWER(:pattern))
ORDER BY email;

-- name: user-labels
-- "Name <email>" for each live user ('||' joins strings here).
SELECT display_name || ' <' || email || '>' AS label
FROM users
WHERE tenant_id = :tenant_id AND deleted_at IS NULL
ORDER BY email;

-- name: user-labels :mysql
-- MySQL reads '||' as OR: CONCAT instead.
SELECT CONCAT(display_name, ' <', email, '>') AS label
FROM users
WHERE tenant_id = :tenant_id AND deleted_at IS NULL
ORDER BY email;

-- name: soft-delete-user
UPDATE users SET deleted_at = CURRENT_TIMESTAMP, modified_at = CURRENT_TIMESTAMP
WHERE tenant_id = :tenant_id AND id = :user_id AND deleted_at IS NULL;
