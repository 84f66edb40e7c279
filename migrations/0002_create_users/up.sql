CREATE TABLE users (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    tenant_id VARCHAR(36) NOT NULL,
    email VARCHAR(255) NOT NULL,
    display_name VARCHAR(255) NOT NULL,
    role VARCHAR(16) NOT NULL DEFAULT 'member',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    modified_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL,
    CHECK (role IN ('owner', 'admin', 'member')),
    FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

-- Soft-deleted rows stay; live rows of a tenant are found through (tenant_id, deleted_at).
CREATE INDEX ix_users_tenant_deleted ON users (tenant_id, deleted_at);
CREATE UNIQUE INDEX ux_users_tenant_email ON users (tenant_id, email);
