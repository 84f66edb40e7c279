-- name: create-rule
INSERT INTO rules (id, tenant_id, created_by, name, expression, priority)
VALUES (:id, :tenant_id, :created_by, :name, :expression, :priority);

-- name: log-rule-event
INSERT INTO rule_events (rule_id, event, detail) VALUES (:rule_id, :event, :detail);

-- name: rule-event-counts
-- Each rule of a tenant with the number of events it logged.
SELECT r.name, COUNT(e.id) AS events
FROM rules r
LEFT JOIN rule_events e ON e.rule_id = r.id
WHERE r.tenant_id = :tenant_id AND r.deleted_at IS NULL
GROUP BY r.name
ORDER BY r.name;
