DROP TABLE rule_events;
