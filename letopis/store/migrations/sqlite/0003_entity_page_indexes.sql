-- An entity's page counts its articles, mentions, days and quotes; on a person in
-- tens of thousands of articles that read every row of the table. These indexes hold
-- what those counts need, so they are read from the index alone.
CREATE INDEX IF NOT EXISTS article_entities_counts ON article_entities(entity_id, current, first_report, day, mentions);
CREATE INDEX IF NOT EXISTS quotes_speaker_counts ON quotes(speaker_id, current, first_report, day);

-- An entity's latest event reports, newest first, from an index: event_actors carries
-- its report's day.
ALTER TABLE event_actors ADD COLUMN day TEXT;
UPDATE event_actors SET day = (SELECT e.day FROM events e
    WHERE e.article_id = event_actors.article_id AND e.local_id = event_actors.event_id);
CREATE INDEX IF NOT EXISTS event_actors_entity_day ON event_actors(entity_id, day);

-- The events page lists real-world events newest first.
CREATE INDEX IF NOT EXISTS event_clusters_day ON event_clusters(day, id);

-- An entity's roles, grouped, from the index alone.
CREATE INDEX IF NOT EXISTS entity_roles_by_role ON entity_roles(entity_id, role, day);
