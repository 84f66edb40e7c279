-- Named queries of the example application (the schema in migrations/), run
-- with Database::named or `plugdb sql --named`; the rules of these files are
-- in docs/named-queries.md.

-- name: create-tenant
INSERT INTO tenants (id, name, slug) VALUES (:id, :name, :slug);

-- name: get-tenant
-- One live tenant by id.
SELECT id, name, slug, active FROM tenants WHERE id = :tenant_id AND deleted_at IS NULL;

-- name: get-tenant-by-slug
SELECT id, name, slug, active FROM tenants WHERE slug = :slug AND deleted_at IS NULL;

-- name: list-tenants
SELECT id, name, slug FROM tenants WHERE deleted_at IS NULL ORDER BY slug;

-- name: count-rules
-- How many live rules a tenant has.
SELECT COUNT(*) AS rules FROM rules WHERE tenant_id = :tenant_id AND deleted_at IS NULL;
