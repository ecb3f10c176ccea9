-- 0004_campaign_context_version.sql — pins the context-check framework version a campaign asks
-- its raters, chosen when the campaign is created, so importing a newer context check later
-- does not change the questions of a running campaign. NULL: the campaign has no context check,
-- or was created before this migration (such campaigns read the latest stored version).
-- Also records which nominations the subject proposed (1), so the subject can be shown their
-- own proposals, approved, pending or declined, and never a rater an admin chose. NULL or 0:
-- an admin's nomination (or one stored before this migration).
-- Portable to PostgreSQL. Depends on 0003 (campaigns, nominations).

ALTER TABLE campaigns ADD COLUMN context_check_version INTEGER;
ALTER TABLE nominations ADD COLUMN proposed_by_subject INTEGER;
