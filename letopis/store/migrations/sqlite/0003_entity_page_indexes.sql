-- An entity's page counts its articles, mentions, days and quotes; on a person in
-- tens of thousands of articles that read every row of the table. These indexes hold
-- what those counts need, so they are read from the index alone.
CREATE INDEX IF NOT EXISTS article_entities_counts ON article_entities(entity_id, current, first_report, day, mentions);
CREATE INDEX IF NOT EXISTS quotes_speaker_counts ON quotes(speaker_id, current, first_report, day);
